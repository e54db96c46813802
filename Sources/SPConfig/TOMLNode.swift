import Foundation
import SPEngine
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
  /// A date or time, which no sptop setting takes (and the check before parsing refuses).
  case other(String)

  /// Parses a TOML document; a syntax error names `path`, the line and the column.
  public static func parse(_ text: String, path: String) throws(ConfigError) -> [String: TOMLNode] {
    try checkTableHeaders(text, path: path)
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

  /// Refuses what toml++ (inside TOMLKit) asserts on, aborting the process (a debug build) or
  /// running into undefined behaviour (a release build, where its assertions are assumptions)
  /// instead of reporting an error, before toml++ sees it: a table header whose name starts with
  /// a character no key can start with (`[é]`, `[=]`, `[[.]]`); a `}` inside an array where a
  /// value is expected (`[}]`, `[1, }]`); and any bare value that is not a TOML boolean, integer
  /// or float (`1979-05-27T`, `12:3.`, `1__2`): toml++ guesses a bare value's type from its
  /// characters and asserts inside the date, time and number parsers when the guess is wrong. No
  /// sptop setting takes a date or a time, so none is accepted. Follows strings, comments,
  /// brackets and `=` just far enough to know where values and table headers begin.
  static func checkTableHeaders(_ text: String, path: String) throws(ConfigError) {
    let chars = Array(text.unicodeScalars)
    var i = 0
    var line = 1
    var lineStart = 0
    var open: [Unicode.Scalar] = []  // the brackets and braces open at this point
    var atLineStart = true
    var expectValue = false  // after '=', and inside an array after '[' or ','
    let terminators: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", ",", "]", "}", "#"]
    let pattern = bareValue()
    func isBare(_ c: Unicode.Scalar) -> Bool {
      c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-")
    }
    func starts(_ quote: [Unicode.Scalar], at k: Int) -> Bool {
      k + quote.count <= chars.count && Array(chars[k..<(k + quote.count)]) == quote
    }
    func skipBlanks(_ k: inout Int) {
      while k < chars.count && (chars[k] == " " || chars[k] == "\t") { k += 1 }
    }
    let multiline: [[Unicode.Scalar]] = [["\"", "\"", "\""], ["'", "'", "'"]]
    while i < chars.count {
      let c = chars[i]
      if c == "\n" {
        line += 1
        lineStart = i + 1
        atLineStart = true
        i += 1
        continue
      }
      if c == " " || c == "\t" || c == "\r" {
        i += 1
        continue
      }
      if c == "#" {
        while i < chars.count && chars[i] != "\n" { i += 1 }
        continue
      }
      if atLineStart && open.isEmpty && c == "[" {
        var k = i + 1
        skipBlanks(&k)
        if k == i + 1 && k < chars.count && chars[k] == "[" {
          k += 1
          skipBlanks(&k)
        }
        if k < chars.count {
          let d = chars[k]
          if !(isBare(d) || d == "\"" || d == "'" || d == "]") {
            let shown = d == "\n" || d == "\r" ? "a line break" : "'\(Character(d))'"
            throw ConfigError(
              "\(path):\(line):\(k - lineStart + 1): invalid TOML: expected a table name after "
                + "'[', saw \(shown)")
          }
        }
        while i < chars.count && chars[i] != "\n" { i += 1 }
        continue
      }
      atLineStart = false
      if expectValue, !["\"", "'", "[", "{", "]", "}"].contains(c) {
        // A bare value: it must be a TOML boolean, integer or float.
        var end = i
        while end < chars.count && !terminators.contains(chars[end]) { end += 1 }
        var token = String.UnicodeScalarView()
        token.append(contentsOf: chars[i..<end])
        let value = String(token)
        if !Self.isBareValue(value, pattern: pattern) {
          throw ConfigError(
            "\(path):\(line):\(i - lineStart + 1): invalid TOML value '\(OneLine.escaped(value))' "
              + "(sptop reads strings, integers, floats, true, false, arrays and inline tables; "
              + "no dates or times)")
        }
        expectValue = false
        i = end
        continue
      }
      expectValue = false
      if let quote = multiline.first(where: { starts($0, at: i) }) {
        i += 3
        while i < chars.count && !starts(quote, at: i) {
          if chars[i] == "\n" {
            line += 1
            lineStart = i + 1
          }
          i += quote[0] == "\"" && chars[i] == "\\" ? 2 : 1
        }
        i += 3
        continue
      }
      switch c {
      case "\"", "'":
        i += 1
        while i < chars.count && chars[i] != c && chars[i] != "\n" {
          i += c == "\"" && chars[i] == "\\" ? 2 : 1
        }
        if i < chars.count && chars[i] == c { i += 1 }
      case "[", "{":
        open.append(c)
        expectValue = c == "["
        i += 1
      case "=":
        expectValue = true
        i += 1
      case "," where open.last == "[":
        expectValue = true
        i += 1
      case "}" where open.last == "[":
        // Where an array expects a value: toml++ asserts on it (`[}]`, `[1, }]`).
        throw ConfigError(
          "\(path):\(line):\(i - lineStart + 1): invalid TOML: '}' inside an array, where a value "
            + "or ']' was expected")
      case "]", "}":
        if !open.isEmpty { open.removeLast() }
        i += 1
      default:
        i += 1
      }
    }
  }

  /// Whether `token` is a TOML 1.0 boolean, integer (decimal, hex, octal, binary, with single
  /// underscores between digits) or float (with a fraction, an exponent or both; inf and nan).
  static func isBareValue(_ token: String, pattern: Regex<AnyRegexOutput> = bareValue()) -> Bool {
    token.wholeMatch(of: pattern) != nil
  }

  /// The pattern `isBareValue` matches (built once per document checked).
  static func bareValue() -> Regex<AnyRegexOutput> {
    let digits = "[0-9](?:_?[0-9])*"
    let decimal = "[+-]?(?:0|[1-9](?:_?[0-9])*)"
    let integer =
      "\(decimal)|0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*"
    let float =
      "\(decimal)(?:\\.\(digits)(?:[eE][+-]?\(digits))?|[eE][+-]?\(digits))|[+-]?(?:inf|nan)"
    // The pattern is a constant of this file: it always compiles.
    return try! Regex("true|false|\(integer)|\(float)")
  }

  /// The largest theme or configuration file read: hand-written files are a few KiB, and the
  /// cap bounds the time and memory a hostile one (a million keys, an endless device) can take.
  public static let maximumFileBytes = 1 << 20

  /// Reads and parses the TOML file at `path`; files over `maximumFileBytes` are refused.
  public static func load(path: String) throws(ConfigError) -> [String: TOMLNode] {
    // Only a regular file: a FIFO would block the read until a writer came, a device would
    // feed it without end.
    let read: Data?
    do {
      read = try SafeRead.contents(path, limit: maximumFileBytes)
    } catch {
      throw ConfigError("\(path): \(error.description)")
    }
    guard let data = read else {
      throw ConfigError(
        "\(path): larger than \(maximumFileBytes >> 20) MiB, the limit of a theme or "
          + "configuration file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigError("\(path): cannot be read as UTF-8 text")
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
