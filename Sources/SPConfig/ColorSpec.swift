import Foundation
import SPTUI

/// A colour as a theme file writes it, before palette names are looked up.
public enum ColorSpec: Hashable, Sendable {
  /// "#rrggbb", "#rgb", a standard or palette name, "default", or digits.
  case name(String)
  /// An index of the 256-colour palette.
  case index(Int)

  /// The spec that writes `color` back.
  public init(_ color: Color) {
    switch color {
    case .default: self = .name("default")
    case .indexed(let i): self = .index(Int(i))
    case .rgb(let r, let g, let b): self = .name("#" + [r, g, b].map(Self.hex).joined())
    }
  }

  /// The spec of a TOML value (a string or an integer); nil for any other type.
  init?(_ node: TOMLNode) {
    switch node {
    case .string(let s): self = .name(s)
    case .integer(let i): self = .index(i)
    default: return nil
    }
  }

  /// The value as a message quotes it.
  public var text: String {
    switch self {
    case .name(let s): "'\(s)'"
    case .index(let i): String(i)
    }
  }

  /// The 16 standard colour names (with the bright ones also spelt `brightred`, `bright_red`,
  /// and `grey`/`gray` for bright black).
  public static let standardNames: [String: Color] = {
    let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    var names: [String: Color] = ["grey": .brightBlack, "gray": .brightBlack]
    for (i, name) in base.enumerated() {
      names[name] = .indexed(UInt8(i))
      for prefix in ["bright-", "bright", "bright_"] {
        names[prefix + name] = .indexed(UInt8(i + 8))
      }
    }
    return names
  }()

  /// The colour this spec means, palette names looked up in `palette` (which may refer to each
  /// other); nil when it means none.
  public func resolve(palette: [String: ColorSpec], depth: Int = 0) -> Color? {
    switch self {
    case .index(let i): return (0...255).contains(i) ? .indexed(UInt8(i)) : nil
    case .name(let raw):
      let s = raw.trimmingCharacters(in: .whitespaces)
      if s.lowercased() == "default" { return .default }
      if s.hasPrefix("#") { return Self.hexColor(s.dropFirst()) }
      if let entry = palette[s], depth < 8 {
        return entry.resolve(palette: palette, depth: depth + 1)
      }
      if let c = Self.standardNames[s.lowercased()] { return c }
      if let i = Int(s) { return ColorSpec.index(i).resolve(palette: palette) }
      return nil
    }
  }

  /// Why a palette name does not come to a colour: the chain of names it follows, ending in a
  /// cycle ("a → b → a") or in the first value that is not a colour; nil when this spec is not
  /// a palette name.
  public func paletteChain(_ palette: [String: ColorSpec]) -> (chain: [String], cycle: Bool)? {
    guard case .name(let raw) = self else { return nil }
    var name = raw.trimmingCharacters(in: .whitespaces)
    guard palette[name] != nil else { return nil }
    var chain = [name]
    while let next = palette[name], case .name(let r) = next {
      name = r.trimmingCharacters(in: .whitespaces)
      if chain.contains(name) { return (chain + [name], true) }
      chain.append(name)
      if palette[name] == nil { break }
    }
    return (chain, false)
  }

  /// The standard names as suggestions name them.
  static let baseNames = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "bright-black",
    "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
    "bright-cyan", "bright-white", "default",
  ]

  /// What a colour may be, for messages.
  static let accepted = "use #rrggbb, #rgb, 0–255, one of the 16 standard names, default"

  private static func hexColor(_ digits: Substring) -> Color? {
    guard digits.allSatisfy(\.isHexDigit) else { return nil }
    let values = digits.compactMap(\.hexDigitValue).map(UInt8.init)
    switch values.count {
    case 6:
      return .rgb(
        values[0] << 4 | values[1], values[2] << 4 | values[3], values[4] << 4 | values[5])
    case 3: return .rgb(values[0] * 17, values[1] * 17, values[2] * 17)
    default: return nil
    }
  }

  private static func hex(_ v: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(v >> 4)], digits[Int(v & 15)]])
  }
}
