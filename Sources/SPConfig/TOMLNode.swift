import Foundation
import TOMLKit

/// A parsed TOML value, copied out of TOMLKit into plain Swift values.
public indirect enum TOMLNode: Hashable, Sendable {
  case string(String)
  case integer(Int)
  case float(Double)
  case boolean(Bool)
  case array([TOMLNode])
  /// Keys in the file's sorted order.
  case table([String: TOMLNode])
  /// A date or time, which no sptop setting takes.
  case other(String)

  /// Parses a TOML document; a syntax error names `path`, the line and the column.
  public static func parse(_ text: String, path: String) throws(ConfigError) -> [String: TOMLNode] {
    do {
      let table = try TOMLTable(string: text)
      return convert(table)
    } catch let error as TOMLParseError {
      let where_ = error.source.begin
      let reason = error.description.split(whereSeparator: \.isNewline).joined(separator: " ")
      throw ConfigError("\(path):\(where_.line):\(where_.column): invalid TOML: \(reason)")
    } catch {
      throw ConfigError("\(path): invalid TOML: \(error)")
    }
  }

  /// Reads and parses the TOML file at `path`.
  public static func load(path: String) throws(ConfigError) -> [String: TOMLNode] {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      let exists = FileManager.default.fileExists(atPath: path)
      throw ConfigError("\(path): \(exists ? "cannot be read as UTF-8 text" : "no such file")")
    }
    return try parse(text, path: path)
  }

  static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
    var result: [String: TOMLNode] = [:]
    for key in table.keys {
      if let value = table[key] { result[key] = convert(value) }
    }
    return result
  }

  static func convert(_ value: TOMLValueConvertible) -> TOMLNode {
    switch value.type {
    case .string: .string(value.string ?? "")
    case .int: .integer(value.int ?? 0)
    case .double: .float(value.double ?? 0)
    case .bool: .boolean(value.bool ?? false)
    case .array: .array((value.array.map { Array($0) } ?? []).map(convert))
    case .table: .table(value.table.map(convert) ?? [:])
    default: .other(value.debugDescription)
    }
  }

  /// The value as written in a message: strings quoted, arrays and tables in TOML's manner.
  public var text: String {
    switch self {
    case .string(let s): "\"\(s)\""
    case .integer(let i): String(i)
    case .float(let d): String(d)
    case .boolean(let b): String(b)
    case .array(let a): "[" + a.map(\.text).joined(separator: ", ") + "]"
    case .table(let t):
      "{ " + t.keys.sorted().map { "\($0) = \(t[$0]!.text)" }.joined(separator: ", ") + " }"
    case .other(let s): s
    }
  }

  /// The TOML type's name, for messages.
  public var typeName: String {
    switch self {
    case .string: "a string"
    case .integer: "an integer"
    case .float: "a number"
    case .boolean: "a boolean"
    case .array: "an array"
    case .table: "a table"
    case .other: "a date or time"
    }
  }
}
