import Foundation

/// A random input described by a list of small integers ("choices"), Hypothesis style: the
/// builders read choices one at a time (0 once the list runs out), so PropertyBased can shrink a
/// failing input by shortening the list (`Gen.int(in: 0...1023).array(of: 0...64)`) and
/// lowering its entries.
struct Choices {
  private let values: [Int]
  private var next = 0

  init(_ values: [Int]) { self.values = values }

  /// The next choice in 0..<bound (bound ≥ 1).
  mutating func int(_ bound: Int) -> Int {
    guard next < values.count else { return 0 }
    defer { next += 1 }
    return values[next] % max(1, bound)
  }

  /// One element of `items` (not empty).
  mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

  var exhausted: Bool { next >= values.count }
}

/// Inputs shared by the properties: extremes for every numeric field, odd strings.
enum Hostile {
  /// Numbers as TOML or JSON text would carry them, from the ordinary to the extreme.
  static let numbers = [
    "0", "1", "-1", "5", "20", "0.001", "-0.0", "1e308", "-1e308", "1.7976931348623157e308",
    "5e-324", "1e-320", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "1000000000", "2147483648", "1e999", "-1e999",
    "0.5", "3.0", "1e9", "-5", "1e-3",
  ]

  /// Doubles for engine APIs: NaN, infinities, the largest and smallest magnitudes.
  static let doubles: [Double] = [
    0, -0.0, 1, -1, 1e-3, 0.5, 10, 1e308, -1e308, .greatestFiniteMagnitude,
    -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, .nan, .infinity,
    -.infinity, 2, 1e9,
  ]

  /// Integers for engine APIs.
  static let ints: [Int] = [
    0, 1, -1, 2, 5, 20, 109, 1000, 1_000_000_000, Int.max, Int.min, Int.max / 2, Int(Int32.max),
    -1_000_000_000, 3, 4096, 1 << 32,
  ]

  /// Strings that have broken parsers before: quotes, escapes, control characters, long runs.
  static let strings = [
    "", " ", "dark", "#ff0000", "#fff", "#ggg", "#12345", "red", "bright-red", "default", "255",
    "256", "-1", "ember", "\\u0000", "\u{7}", "é", "🙂", "\u{202E}", "a\"b", "a\\\\b", "light",
    "../../etc/passwd", "/dev/zero", String(repeating: "x", count: 300), "nan", "inf", "Ctrl-C",
    "Space", "Shift-Tab", "F99", "vanilla", "penalized", "linear,linear", "a,b", "sgd", "adam",
  ]

  /// `text` with every character that is not printable ASCII escaped, for messages.
  static func show(_ text: String) -> String {
    var out = ""
    for s in text.unicodeScalars {
      if s.value >= 0x20 && s.value < 0x7F {
        out.unicodeScalars.append(s)
      } else {
        out += "\\u{\(String(s.value, radix: 16))}"
      }
    }
    return out.count > 600 ? String(out.prefix(600)) + "…" : out
  }

  /// Whether a message is one line: not empty, no line break.
  static func isOneLine(_ message: String) -> Bool {
    !message.isEmpty && !message.contains(where: \.isNewline)
  }

  /// Seconds since an arbitrary start, for time bounds.
  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}
