import ArgumentParser

/// `--range`: the training steps `export --svg`'s a-priori figure shows — `all` (the default),
/// `last:N` (the last N steps of the log: from its last logged step − N), or `A:B` (steps A to
/// B, both kept, A < B).
struct RangeOption: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "The training steps of export --svg's a-priori figure: \(Self.accepted). (default: all)",
      valueName: "steps"))
  var range: String?

  static let accepted = "all, last:N (the last N steps) or A:B (steps A to B, A < B)"

  /// What the figure keeps.
  enum Steps: Equatable {
    case all
    case last(Int)
    case between(Int, Int)

    /// The steps kept of a log whose last logged step is `last`.
    func range(lastStep last: Double) -> ClosedRange<Double>? {
      switch self {
      case .all: nil
      case .last(let n): max(0, last - Double(n))...max(0, last)
      case .between(let a, let b): Double(a)...Double(b)
      }
    }
  }

  func validate() throws {
    _ = try steps()
  }

  /// The steps given (all when none), or the one-line refusal naming the flag.
  func steps() throws(ValidationError) -> Steps {
    guard let range else { return .all }
    if let s = Self.parse(range) { return s }
    throw ValidationError("--range: expected \(Self.accepted), got '\(range)'")
  }

  static func parse(_ text: String) -> Steps? {
    if text == "all" { return .all }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    func count(_ s: Substring) -> Int? {
      guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      return Int(s)
    }
    if parts[0] == "last" {
      guard let n = count(parts[1]), n > 0 else { return nil }
      return .last(n)
    }
    guard let a = count(parts[0]), let b = count(parts[1]), a < b else { return nil }
    return .between(a, b)
  }
}
