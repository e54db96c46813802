import SPEngine

/// A file sptop cannot use (not TOML, an invalid colour, two actions on one key): one line that
/// names the file and what is wrong.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = OneLine.escaped(message) }
  public var description: String { message }
}

/// Something in a file sptop skipped (an unknown role, key or action), the rest still applies.
public struct ConfigWarning: Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = OneLine.escaped(message) }
  public var description: String { message }

  /// "unknown WHAT 'name' (did you mean 'nearest'?)", the suggestion only when one is close.
  static func unknown(_ what: String, _ name: String, among candidates: [String], in file: String)
    -> ConfigWarning
  {
    ConfigWarning("\(file): unknown \(what) '\(name)'\(NearestName.hint(name, among: candidates))")
  }
}

extension Array where Element == ConfigWarning {
  /// Appends "unknown WHAT 'name'" warnings: the first `ConfigWarning.listedUnknowns` in full
  /// with a suggestion each, then one line counting the rest, so a file with a million unknown
  /// keys costs a million cheap checks and ten lines, not a million suggestions.
  mutating func appendUnknown(
    _ what: String, _ names: [String], among candidates: [String], in file: String
  ) {
    let limit = ConfigWarning.listedUnknowns
    for name in names.prefix(limit) {
      append(.unknown(what, name, among: candidates, in: file))
    }
    if names.count > limit {
      append(ConfigWarning("\(file): \(names.count - limit) more unknown \(what)s (not listed)"))
    }
  }
}

extension ConfigWarning {
  /// How many unknown names of one kind in one file are listed one by one.
  public static let listedUnknowns = 10
}

/// Suggestions for misspelt names, by edit distance.
public enum NearestName {
  /// Levenshtein distance between two strings, by Unicode scalars, ignoring case.
  public static func distance(_ a: String, _ b: String) -> Int {
    let s = Array(a.lowercased().unicodeScalars)
    let t = Array(b.lowercased().unicodeScalars)
    if s.isEmpty { return t.count }
    if t.isEmpty { return s.count }
    var previous = Array(0...t.count)
    var current = [Int](repeating: 0, count: t.count + 1)
    for i in 1...s.count {
      current[0] = i
      for j in 1...t.count {
        let cost = s[i - 1] == t[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[t.count]
  }

  /// The candidate nearest to `name`, first in `candidates` on ties; nil when there are none.
  public static func nearest(_ name: String, among candidates: [String]) -> String? {
    candidates.min { distance(name, $0) < distance(name, $1) }
  }

  /// " (did you mean 'x'?)" naming the nearest candidate, or "" when there is none.
  static func hint(_ name: String, among candidates: [String]) -> String {
    guard let best = nearest(name, among: candidates) else { return "" }
    return " (did you mean '\(best)'?)"
  }
}
