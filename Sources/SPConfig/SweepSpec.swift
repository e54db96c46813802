import Foundation
import SPEngine

/// A sweep spec (TOML): `[base]` holds flags of `sptop run` by their long names, `[grid]` lists
/// of values for any of the same names; the sweep is the product of the lists. Every error
/// names the file, the line and column of the key, and what is accepted.
public enum SweepSpec {
  /// Reads the spec at `path` into a plan (the values not yet checked as flags: the caller
  /// does that, and names the place with `place(of:in:)`).
  public static func load(path: String) throws(ConfigError) -> (plan: SweepPlan, text: String) {
    let read: Data?
    do {
      read = try SafeRead.contents(path, limit: TOMLNode.maximumFileBytes)
    } catch {
      throw ConfigError("\(path): \(error.description)")
    }
    guard let data = read else {
      throw ConfigError("\(path): larger than \(TOMLNode.maximumFileBytes >> 20) MiB")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigError("\(path): cannot be read as UTF-8 text")
    }
    return (try parse(text, path: path), text)
  }

  /// Parses a spec's text (`path` is used in messages).
  public static func parse(_ text: String, path: String) throws(ConfigError) -> SweepPlan {
    let toml = try TOMLNode.parse(text, path: path)
    func at(_ key: String, _ table: String?) -> String {
      let p = place(of: key, in: table, text: text)
      return p.map { "\(path):\($0.line):\($0.column)" } ?? path
    }
    for key in toml.keys.sorted() where key != "base" && key != "grid" {
      throw ConfigError(
        "\(at(key, nil)): unknown table or key '\(key)'\(NearestName.hint(key, among: ["base", "grid"])); "
          + "a sweep spec has [base] and [grid]")
    }
    var base: [String: String] = [:]
    var axes: [SweepPlan.Axis] = []
    for (name, node) in [("base", toml["base"]), ("grid", toml["grid"])] {
      guard let node else { continue }
      guard case .table(let table) = node else {
        throw ConfigError(
          "\(at(name, nil)): '\(name)' must be a table ([\(name)]), not \(node.typeName)")
      }
      for key in table.keys.sorted() {
        let value = table[key]!
        let here = at(key, name)
        let flag = key == "seed" ? "seeds" : key
        guard SweepPlan.keys.contains(flag) else {
          throw ConfigError(
            "\(here): [\(name)] \(key): not a flag a sweep takes"
              + NearestName.hint(key, among: SweepPlan.keys)
              + "; it takes " + SweepPlan.keys.joined(separator: ", "))
        }
        if name == "base" {
          base[flag] = try scalar(value, key: key, at: here)
        } else {
          guard case .array(let items) = value else {
            throw ConfigError(
              "\(here): [grid] \(key): must be an array of values (\(key) = [a, b, …]), not "
                + value.typeName)
          }
          guard !items.isEmpty else {
            throw ConfigError("\(here): [grid] \(key): an empty list; give at least one value")
          }
          var values: [String] = []
          for item in items {
            let v = try scalar(item, key: key, at: here)
            guard !values.contains(v) else {
              throw ConfigError("\(here): [grid] \(key): the value \(item.text) is listed twice")
            }
            values.append(v)
          }
          if base[flag] != nil {
            throw ConfigError(
              "\(here): [grid] \(key): also set in [base]; a flag is either fixed or swept")
          }
          if axes.contains(where: { $0.name == flag }) {
            throw ConfigError("\(here): [grid] \(key): given twice (seed and seeds are one flag)")
          }
          axes.append(SweepPlan.Axis(name: flag, values: values))
        }
      }
    }
    return SweepPlan(base: base, axes: axes)
  }

  /// A flag's value as the command line takes it: strings, integers and floats as written; an
  /// array of strings (models = ["vanilla", "linear"]) joined with commas.
  static func scalar(_ node: TOMLNode, key: String, at here: String) throws(ConfigError) -> String {
    switch node {
    case .string(let s):
      guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ConfigError("\(here): \(key): an empty string")
      }
      return s
    case .integer(let i): return String(i)
    case .float(let d): return String(d)
    case .array(let items) where key == "models":
      var names: [String] = []
      for item in items {
        guard case .string(let s) = item else {
          throw ConfigError("\(here): models: a lineup's names are strings, not \(item.text)")
        }
        names.append(s)
      }
      guard !names.isEmpty else { throw ConfigError("\(here): models: an empty lineup") }
      return names.joined(separator: ",")
    default:
      throw ConfigError(
        "\(here): \(key): must be a string or a number, not \(node.typeName) (\(node.text))")
    }
  }

  /// Where `key` is set: under the table header `[table]` (nil: before any header), as a bare
  /// or quoted key at the start of a line, or as `table.key` at the top; line and column are
  /// 1-based. Nil when the key cannot be found by this simple reading (an inline table).
  public static func place(of key: String, in table: String?, text: String) -> (
    line: Int, column: Int
  )? {
    var current: String?
    var fallback: (line: Int, column: Int)?
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      let column = line.count - trimmed.count + 1
      if trimmed.hasPrefix("[") {
        let name = trimmed.dropFirst().prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
        current = name
        if table == nil, name == key { return (n + 1, column + 1) }
        continue
      }
      let candidates: [String] =
        current == table
        ? [key, "\"\(key)\"", "'\(key)'"]
        : (current == nil && table != nil ? ["\(table!).\(key)"] : [])
      for c in candidates where trimmed.hasPrefix(c) {
        let rest = trimmed.dropFirst(c.count).drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("=") { return (n + 1, column) }
      }
      if fallback == nil, table != nil, current == table, trimmed.hasPrefix("\(key).") {
        fallback = (n + 1, column)
      }
    }
    return fallback
  }
}
