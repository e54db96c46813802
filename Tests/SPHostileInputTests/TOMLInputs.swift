import Foundation
import SPDashboard

/// Random and mutated TOML documents for the theme and configuration properties.
enum TOMLInputs {
  /// The repository's root (three folders above this file).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The shipped themes and the example configuration: realistic starting points to mutate.
  static let seeds: [String] = {
    var texts: [String] = []
    let themes = root.appendingPathComponent("themes")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: themes.path)) ?? []
    for file in files.sorted() where file.hasSuffix(".toml") {
      if let text = try? String(
        contentsOf: themes.appendingPathComponent(file), encoding: .utf8)
      {
        texts.append(text)
      }
    }
    let example = root.appendingPathComponent("docs/config.example.toml")
    if let text = try? String(contentsOf: example, encoding: .utf8) { texts.append(text) }
    return texts
  }()

  /// The configuration file's settings (`ConfigFlags.keys` of the sptop target).
  static let configKeys = [
    "theme", "color", "fps", "models", "n", "seed", "eta", "batch", "iterations", "optimizer",
    "penalty-weight", "init", "target", "width", "json",
  ]

  static let keys: [String] =
    Theme.roleNames + configKeys + DashboardAction.allCases.map(\.rawValue) + [
      "inherits", "description", "palette", "roles", "series", "fallback", "keys", "fg", "bg",
      "bold", "dim", "underline", "reverse", "background", "k", "\"quoted key\"", "a.b", "é",
      "\"\"", "vanilla", "linear",
    ]

  static let headers = [
    "[palette]", "[roles]", "[series]", "[keys]", "[roles.text]", "[[roles]]", "[a.b]",
    "[roles.accent]", "[keys.quit]", "[[keys]]",
  ]

  /// Fragments that break TOML in interesting places when spliced in.
  static let splices = [
    "=", "[", "]", "\"", "'", "{", "}", "\n", "#", ",", ".", "\\", "\"\"\"", "'''", "\r\n", "\t",
    "\u{0}", "\u{FEFF}", "inherits = \"dark\"\n", "inherits = \"nope\"\n", "[roles]\n",
    "text = ", "nan", "inf", "-inf", "1e308", "9223372036854775808", "\"#zzzzzz\"", "[[[",
    "a.b.c = 1\n", "= 1\n", "x = [1, \"a\", {b = 2}]\n", "0x7FFFFFFFFFFFFFFF",
    "1979-05-27T07:32:00Z",
    String(repeating: "[", count: 200), String(repeating: "{a=", count: 100),
  ]

  /// A TOML text: a mutated seed or a random document, chosen and built from `c`.
  static func document(_ c: inout Choices) -> String {
    let base = c.int(3) == 0 || seeds.isEmpty ? random(&c) : c.pick(seeds)
    return mutate(base, &c)
  }

  /// A random document: key = value lines and table headers.
  static func random(_ c: inout Choices) -> String {
    var out = ""
    for _ in 0..<(1 + c.int(16)) {
      if c.int(5) == 0 {
        out += c.pick(headers) + "\n"
      } else {
        out += "\(c.pick(keys)) = \(value(&c, depth: 0))\n"
      }
    }
    return out
  }

  /// A TOML value: strings, numbers (extremes included), booleans, dates, arrays, inline tables.
  static func value(_ c: inout Choices, depth: Int) -> String {
    switch c.int(depth >= 3 ? 5 : 7) {
    case 0: return quoted(c.pick(Hostile.strings))
    case 1: return c.pick(Hostile.numbers + ["nan", "+inf", "-inf", "inf", "0x10", "1_000"])
    case 2: return c.int(2) == 0 ? "true" : "false"
    case 3: return c.pick(["1979-05-27T07:32:00Z", "07:32:00", "1979-05-27", "'literal'"])
    case 4: return quoted(c.pick(["#ff6e3a", "#abc", "bright-blue", "12", "default", "ember"]))
    case 5:
      let items = (0..<c.int(5)).map { _ in value(&c, depth: depth + 1) }
      return "[" + items.joined(separator: ", ") + "]"
    default:
      let fields = (0..<c.int(5)).map { _ in "\(c.pick(keys)) = \(value(&c, depth: depth + 1))" }
      return "{ " + fields.joined(separator: ", ") + " }"
    }
  }

  /// `s` as a TOML basic string, escaped.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          out += String(format: "\\u%04X", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  /// `text` with up to five random edits: splices, deletions, duplicated or swapped lines.
  static func mutate(_ text: String, _ c: inout Choices) -> String {
    var lines = text.components(separatedBy: "\n")
    for _ in 0..<c.int(6) {
      guard !lines.isEmpty else { break }
      let i = c.int(lines.count)
      switch c.int(6) {
      case 0:
        var chars = Array(lines[i])
        let at = c.int(chars.count + 1)
        chars.insert(contentsOf: c.pick(splices), at: at)
        lines[i] = String(chars)
      case 1:
        var chars = Array(lines[i])
        guard !chars.isEmpty else { continue }
        let at = c.int(chars.count)
        chars.removeSubrange(at..<min(chars.count, at + 1 + c.int(8)))
        lines[i] = String(chars)
      case 2: lines.insert(lines[i], at: c.int(lines.count + 1))
      case 3: lines.remove(at: i)
      case 4: lines.swapAt(i, c.int(lines.count))
      default:
        lines.insert("\(c.pick(keys)) = \(value(&c, depth: 0))", at: i)
      }
    }
    return lines.joined(separator: "\n")
  }

  /// `text` as bytes with a few raw byte edits (invalid UTF-8 among them), for files.
  static func bytes(_ text: String, _ c: inout Choices) -> [UInt8] {
    var bytes = Array(text.utf8)
    for _ in 0..<c.int(3) {
      let at = c.int(bytes.count + 1)
      bytes.insert(
        contentsOf: c.pick([[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x00], [0xEF, 0xBB, 0xBF]]), at: at
      )
    }
    return bytes
  }
}
