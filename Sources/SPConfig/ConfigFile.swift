import SPDashboard
import SPTUI

/// The configuration file (`config.toml`): defaults for command-line flags, and `[keys]` that
/// bind dashboard actions to keys.
public struct ConfigFile: Sendable {
  /// A setting's value as the command line would give it.
  public enum Value: Hashable, Sendable {
    /// The text after the flag (arrays are joined with commas: `models = ["a", "b"]` is "a,b").
    case text(String)
    /// A switch: `true` gives the bare flag, `false` nothing.
    case flag(Bool)
  }

  public var path: String
  /// Top-level settings by key (the flag's long name without the dashes).
  public var settings: [String: Value] = [:]
  /// `[keys]`: each action rebound, with the keys given for it, in the file's order.
  public var keyBindings: [(DashboardAction, [Key])] = []
  /// The standard key map with `keyBindings` applied.
  public var keyMap: KeyMap = .standard
  /// What was skipped: unknown settings, actions and key names.
  public var warnings: [ConfigWarning] = []

  /// Reads the file at `path`; `knownKeys` are the settings it may hold.
  public static func load(path: String, knownKeys: [String]) throws(ConfigError) -> ConfigFile {
    try ConfigFile(toml: TOMLNode.load(path: path), path: path, knownKeys: knownKeys)
  }

  /// Parses a configuration text (for tests; `path` is only used in messages).
  public static func parse(_ text: String, path: String, knownKeys: [String]) throws(ConfigError)
    -> ConfigFile
  {
    try ConfigFile(toml: TOMLNode.parse(text, path: path), path: path, knownKeys: knownKeys)
  }

  /// Interprets a parsed file. Unknown settings, actions and key names are skipped with a
  /// warning naming the nearest valid one; a value of the wrong type, or one key for two
  /// actions, is an error.
  public init(toml: [String: TOMLNode], path: String, knownKeys: [String]) throws(ConfigError) {
    self.path = path
    var unknownSettings: [String] = []
    for key in toml.keys.sorted() {
      let value = toml[key]!
      if key == "keys" {
        try readKeys(value)
        continue
      }
      guard knownKeys.contains(key) else {
        unknownSettings.append(key)
        continue
      }
      settings[key] = try Self.value(value, key: key, path: path)
    }
    warnings.appendUnknown("setting", unknownSettings, among: knownKeys + ["keys"], in: path)
    do {
      keyMap = try KeyMap.standard.rebinding(keyBindings)
    } catch {
      throw ConfigError("\(path): [keys]: \(error.description)")
    }
  }

  static func value(_ node: TOMLNode, key: String, path: String) throws(ConfigError) -> Value {
    switch node {
    case .string(let s): return .text(s)
    case .integer(let i): return .text(String(i))
    case .float(let d): return .text(String(d))
    case .boolean(let b): return .flag(b)
    case .array(let items):
      if items.isEmpty {
        throw ConfigError("\(path): '\(key)': an empty array; give at least one value")
      }
      var parts: [String] = []
      for (k, item) in items.enumerated() {
        if case .string(let s) = item, s.trimmingCharacters(in: .whitespaces).isEmpty {
          throw ConfigError("\(path): '\(key)': item \(k + 1) of the array is an empty string")
        }
        guard case .text(let t) = try value(item, key: key, path: path), !t.contains(",") else {
          throw ConfigError("\(path): '\(key)': an array may hold only strings and numbers")
        }
        parts.append(t)
      }
      return .text(parts.joined(separator: ","))
    case .table, .other:
      throw ConfigError(
        "\(path): '\(key)' must be a string, number or boolean, not \(node.typeName)")
    }
  }

  private mutating func readKeys(_ node: TOMLNode) throws(ConfigError) {
    guard case .table(let table) = node else {
      throw ConfigError("\(path): 'keys' must be a table ([keys]), not \(node.typeName)")
    }
    let actions = DashboardAction.allCases.map(\.rawValue)
    var unknownActions: [String] = []
    defer {
      warnings.appendUnknown("action", unknownActions, among: actions, in: "\(path): [keys]")
    }
    for (name, value) in table.sorted(by: { $0.key < $1.key }) {
      guard let action = DashboardAction(rawValue: name) else {
        unknownActions.append(name)
        continue
      }
      let names: [String]
      switch value {
      case .string(let s): names = [s]
      case .array(let items):
        names = try items.map { (item) throws(ConfigError) -> String in
          guard case .string(let s) = item else {
            throw ConfigError("\(path): [keys] \(name): key names are strings, not \(item.text)")
          }
          return s
        }
      default:
        throw ConfigError(
          "\(path): [keys] \(name): give a key name or an array of them, not \(value.typeName)")
      }
      var keys: [Key] = []
      var unknownNames: [String] = []
      for keyName in names {
        if let key = KeyMap.key(named: keyName) {
          keys.append(key)
        } else {
          unknownNames.append(keyName)
        }
      }
      warnings.appendUnknown(
        "key name", unknownNames, among: KeyMap.suggestedKeyNames, in: "\(path): [keys] \(name)")
      // A list whose every name was unknown leaves the action as it was.
      if !keys.isEmpty || names.isEmpty { keyBindings.append((action, keys)) }
    }
  }
}
