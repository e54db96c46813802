import SPEngine
import SPTUI

/// Key names read back from text (configuration files), and rebinding actions to keys.
extension KeyMap {
  /// Why a set of bindings was refused.
  public struct BindingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = OneLine.escaped(description) }
  }

  /// Named keys as the help writes them, with a few common spellings; matched ignoring case.
  static let namedKeys: [String: Key] = {
    var keys: [String: Key] = [
      "space": .character(" "), "spc": .character(" "), "tab": .tab, "shift-tab": .backTab,
      "backtab": .backTab, "esc": .escape, "escape": .escape, "enter": .enter,
      "return": .enter, "backspace": .backspace, "up": .up, "down": .down, "left": .left,
      "right": .right, "shift-left": .shiftLeft, "shift-right": .shiftRight,
      "shift-←": .shiftLeft, "shift-→": .shiftRight, "↑": .up, "↓": .down, "←": .left, "→": .right,
      "home": .home,
      "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
      "pagedown": .pageDown, "ins": .insert, "insert": .insert, "del": .delete,
      "delete": .delete,
    ]
    for n in 1...12 { keys["f\(n)"] = .function(n) }
    return keys
  }()

  /// Key names worth suggesting when a name is not understood.
  public static var suggestedKeyNames: [String] {
    [
      "Space", "Tab", "Shift-Tab", "Esc", "Enter", "Backspace", "Up", "Down", "Left", "Right",
      "Shift-Left", "Shift-Right",
      "Home", "End", "PgUp", "PgDn", "Ins", "Del", "Ctrl-C",
    ] + (1...12).map { "F\($0)" }
  }

  /// The key written `name`: a single character ("a", "A", "+"), a named key as the help shows
  /// it ("Space", "Tab", "Shift-Tab", "Esc", "F1", "↑" or "Up"), or "Ctrl-" and a letter.
  /// Nil when the name means no key.
  public static func key(named name: String) -> Key? {
    let lower = name.lowercased()
    if let key = namedKeys[lower] { return key }
    if name.count == 1, let c = name.first, c != "\t" { return .character(c) }
    for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lower.hasPrefix(prefix) {
      let rest = lower.dropFirst(prefix.count)
      if rest.count == 1, let c = rest.first, c.isLetter, c.isASCII { return .control(c) }
    }
    return nil
  }

  /// This map with each action of `bindings` bound to exactly the keys given for it (an empty
  /// list unbinds it). A key given for one action is taken from any action that had it by
  /// default. Refused when one key is given for two actions (both are named), or when `quit`
  /// would be left without a key.
  public func rebinding(_ bindings: [(DashboardAction, [Key])]) throws(BindingError) -> KeyMap {
    var owner: [Key: DashboardAction] = [:]
    for (action, keys) in bindings {
      for key in keys {
        if let other = owner[key], other != action {
          throw BindingError(
            "key '\(KeyMap.name(of: key))' is bound to two actions: '\(other.rawValue)' and "
              + "'\(action.rawValue)'")
        }
        owner[key] = action
      }
    }
    let rebound = Set(bindings.map(\.0))
    var result = self.bindings.filter { !rebound.contains($0.value) && owner[$0.key] == nil }
    for (key, action) in owner { result[key] = action }
    let map = KeyMap(bindings: result, isReplay: isReplay)
    if map.keys(for: .quit).isEmpty {
      throw BindingError("action 'quit' would be left without a key")
    }
    return map
  }
}
