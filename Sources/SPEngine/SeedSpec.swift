/// The seeds of an ensemble (`--seeds`): a comma-separated list of seeds and inclusive ranges,
/// `1-32`, `1,5,9`, `1-10,20-29`, in the order given. Each seed is a whole session of its own
/// (its problem, its models' streams), exactly the session `--seed s` runs alone.
public struct SeedSpec: Sendable, Hashable, CustomStringConvertible {
  /// The seeds, in the order the text gives them; never empty, no seed twice.
  public let seeds: [UInt64]
  /// The text it was read from.
  public let text: String

  /// The most seeds one ensemble takes (each keeps its models and its result in memory).
  public static let limit = 100_000

  /// Why a text names no seeds; the caller names the flag ("--seeds: …").
  public struct Refusal: Error, Equatable, CustomStringConvertible {
    public let description: String
  }

  public init(_ text: String) throws(Refusal) {
    let items: [String]
    do {
      items = try CommaList.items(text)
    } catch {
      throw Refusal(
        description: "\(error); expected seeds and ranges such as 1-32 or 1,5,9")
    }
    var seeds: [UInt64] = []
    var seen = Set<UInt64>()
    for item in items {
      let bounds: (UInt64, UInt64)
      let parts = item.split(separator: "-", omittingEmptySubsequences: false)
      if parts.count == 1, let s = UInt64(parts[0]) {
        bounds = (s, s)
      } else if parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]) {
        guard a <= b else {
          throw Refusal(description: "the range '\(item)' runs backwards; write \(b)-\(a)")
        }
        bounds = (a, b)
      } else {
        throw Refusal(
          description: "'\(item)' is not a seed (0 to \(UInt64.max)) or a range of them "
            + "such as 1-32")
      }
      let count = bounds.1 - bounds.0
      guard count < UInt64(Self.limit), seeds.count + Int(count) + 1 <= Self.limit else {
        throw Refusal(
          description: "'\(text)' names more than \(Self.limit) seeds, the most one ensemble takes")
      }
      for s in bounds.0...bounds.1 {
        guard seen.insert(s).inserted else {
          throw Refusal(description: "seed \(s) is named twice in '\(text)'")
        }
        seeds.append(s)
      }
    }
    self.seeds = seeds
    self.text = text
  }

  public var description: String { text }
}
