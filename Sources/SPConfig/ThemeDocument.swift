import SPDashboard
import SPTUI

/// A theme file as written: palette, roles, series and what it inherits, before colours are
/// looked up. Documents merge (a child over its parent) and then resolve to a `Theme`.
public struct ThemeDocument: Hashable, Sendable {
  /// The style of one role as written.
  public struct StyleSpec: Hashable, Sendable {
    public var foreground: ColorSpec?
    public var background: ColorSpec?
    public var attributes: Attributes = []
  }

  public var name: String
  /// Where it was read from, for messages ("built in" for the compiled-in theme).
  public var origin: String
  public var inherits: String?
  public var description: String?
  public var palette: [String: ColorSpec] = [:]
  public var roles: [Theme.Role: StyleSpec] = [:]
  public var background: ColorSpec?
  public var series: [String: ColorSpec] = [:]
  public var fallbackSeries: [ColorSpec]?

  /// The document that writes `theme` back (every role set).
  public init(_ theme: Theme, origin: String = "built in") {
    name = theme.name
    self.origin = origin
    for role in Theme.Role.allCases {
      let style = theme[role]
      roles[role] = StyleSpec(
        foreground: style.foreground == .default ? nil : ColorSpec(style.foreground),
        background: style.background == .default ? nil : ColorSpec(style.background),
        attributes: style.attributes)
    }
    background = ColorSpec(theme.background)
    series = theme.series.mapValues(ColorSpec.init)
    fallbackSeries = theme.fallbackSeries.map(ColorSpec.init)
  }

  /// Reads a parsed theme file. Unknown keys, roles and style fields are skipped with a warning
  /// naming the nearest valid name; a value of the wrong type is an error.
  public init(
    toml: [String: TOMLNode], name: String, origin: String, warnings: inout [ConfigWarning]
  ) throws(ConfigError) {
    self.name = name
    self.origin = origin
    let topKeys = ["inherits", "description", "palette", "roles", "series"]
    var unknownKeys: [String] = []
    for key in toml.keys.sorted() where !topKeys.contains(key) {
      if Theme.roleNames.contains(key) {
        warnings.append(ConfigWarning("\(origin): role '\(key)' belongs in the [roles] table"))
      } else {
        unknownKeys.append(key)
      }
    }
    warnings.appendUnknown("key", unknownKeys, among: topKeys, in: origin)
    inherits = try Self.string(toml["inherits"], "inherits", origin)
    description = try Self.string(toml["description"], "description", origin)
    for (key, value) in try Self.table(toml["palette"], "palette", origin) {
      guard let spec = ColorSpec(value) else {
        throw ConfigError("\(origin): palette colour '\(key)': invalid colour \(value.text)")
      }
      palette[key] = spec
    }
    var unknownRoles: [String] = []
    for (key, value) in try Self.table(toml["roles"], "roles", origin).sorted(by: {
      $0.key < $1.key
    }) {
      if key == Theme.backgroundRoleName {
        guard let spec = ColorSpec(value) else {
          throw ConfigError(
            "\(origin): role 'background': invalid colour \(value.text) (a colour, not a style)")
        }
        background = spec
      } else if let role = Theme.Role(rawValue: key) {
        roles[role] = try Self.style(value, role: key, origin: origin, warnings: &warnings)
      } else {
        unknownRoles.append(key)
      }
    }
    warnings.appendUnknown("role", unknownRoles, among: Theme.roleNames, in: origin)
    for (key, value) in try Self.table(toml["series"], "series", origin) {
      if key == "fallback" {
        guard case .array(let items) = value else {
          throw ConfigError("\(origin): series 'fallback': expected an array of colours")
        }
        fallbackSeries = try items.map { (item) throws(ConfigError) -> ColorSpec in
          guard let spec = ColorSpec(item) else {
            throw ConfigError("\(origin): series 'fallback': invalid colour \(item.text)")
          }
          return spec
        }
      } else {
        guard let spec = ColorSpec(value) else {
          throw ConfigError("\(origin): series '\(key)': invalid colour \(value.text)")
        }
        series[key] = spec
      }
    }
  }

  /// This document over `parent`: its palette entries, roles and series replace the parent's,
  /// the rest is the parent's.
  public func merged(over parent: ThemeDocument) -> ThemeDocument {
    var d = parent
    d.name = name
    d.origin = origin
    d.inherits = inherits
    d.description = description ?? parent.description
    d.palette.merge(palette) { $1 }
    d.roles.merge(roles) { $1 }
    d.background = background ?? parent.background
    d.series.merge(series) { $1 }
    d.fallbackSeries = fallbackSeries ?? parent.fallbackSeries
    return d
  }

  /// The theme, every colour looked up. Refused when a role is missing or a colour is invalid
  /// (the message names the role and the value).
  public func resolve() throws(ConfigError) -> Theme {
    var theme = Theme.dark
    theme.name = name
    let missing =
      Theme.Role.allCases.filter { roles[$0] == nil }.map(\.rawValue)
      + (background == nil ? [Theme.backgroundRoleName] : [])
    if !missing.isEmpty {
      throw ConfigError(
        "\(origin): theme '\(name)' does not define role\(missing.count > 1 ? "s" : "") "
          + missing.joined(separator: ", ") + " (set them, or inherit: inherits = \"dark\")")
    }
    // Every palette entry must mean a colour, used or not: a typo in one is found when the
    // theme is loaded, not when a later edit first refers to it.
    for key in palette.keys.sorted() { _ = try color(palette[key], "palette colour '\(key)'") }
    for (role, spec) in roles {
      theme[role] = Style(
        foreground: try color(spec.foreground, "role '\(role.rawValue)'"),
        background: try color(spec.background, "role '\(role.rawValue)'"),
        attributes: spec.attributes)
    }
    theme.background = try color(background, "role 'background'")
    // A role with no background of its own sits on the theme's background, so a theme with
    // one paints the whole screen evenly.
    for role in Theme.Role.allCases where theme[role].background == .default {
      theme[role].background = theme.background
    }
    var series: [String: Color] = [:]
    for (key, spec) in self.series { series[key] = try color(spec, "series '\(key)'") }
    theme.series = series
    theme.fallbackSeries = try (fallbackSeries ?? []).map { (spec) throws(ConfigError) in
      try color(spec, "series 'fallback'")
    }
    return theme
  }

  private func color(_ spec: ColorSpec?, _ what: String) throws(ConfigError) -> Color {
    guard let spec else { return .default }
    if let c = spec.resolve(palette: palette) { return c }
    if let (chain, cycle) = spec.paletteChain(palette), cycle || chain.count > 8 {
      let path = chain.map { "'\($0)'" }.joined(separator: " → ")
      let problem = cycle ? "go round in a cycle" : "chain more than 8 deep"
      throw ConfigError(
        "\(origin): \(what): the palette names \(problem): \(path); end it at a colour")
    }
    var hint = ""
    if case .name(let n) = spec, !n.hasPrefix("#"), Int(n) == nil,
      let near = NearestName.nearest(n, among: palette.keys.sorted() + ColorSpec.baseNames),
      near != n.trimmingCharacters(in: .whitespaces),
      NearestName.distance(n, near) <= max(2, n.count / 3)
    {
      hint = "; did you mean '\(near)'?"
    }
    throw ConfigError(
      "\(origin): \(what): invalid colour \(spec.text) (\(ColorSpec.accepted) or a palette name\(hint))"
    )
  }

  static func string(_ node: TOMLNode?, _ key: String, _ origin: String) throws(ConfigError)
    -> String?
  {
    guard let node else { return nil }
    guard case .string(let s) = node else {
      throw ConfigError("\(origin): '\(key)' must be a string, not \(node.typeName)")
    }
    return s
  }

  static func table(_ node: TOMLNode?, _ key: String, _ origin: String) throws(ConfigError)
    -> [String: TOMLNode]
  {
    guard let node else { return [:] }
    guard case .table(let t) = node else {
      throw ConfigError("\(origin): '\(key)' must be a table ([\(key)]), not \(node.typeName)")
    }
    return t
  }

  /// A role's style: a colour alone (the foreground), or { fg, bg, bold, dim, underline, reverse }.
  static func style(
    _ node: TOMLNode, role: String, origin: String, warnings: inout [ConfigWarning]
  ) throws(ConfigError) -> StyleSpec {
    if let spec = ColorSpec(node) { return StyleSpec(foreground: spec) }
    guard case .table(let fields) = node else {
      throw ConfigError(
        "\(origin): role '\(role)': invalid colour \(node.text) (a colour or { fg = …, bold = … })")
    }
    var style = StyleSpec()
    let flags: [String: Attributes] = [
      "bold": .bold, "dim": .dim, "underline": .underline, "reverse": .reverse,
    ]
    let known = ["fg", "bg"] + flags.keys.sorted()
    var unknownFields: [String] = []
    defer {
      warnings.appendUnknown(
        "style field", unknownFields, among: known.map { "\(role).\($0)" }, in: origin)
    }
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      switch key {
      case "fg", "bg":
        guard let spec = ColorSpec(value) else {
          throw ConfigError("\(origin): role '\(role)': invalid colour \(value.text) for \(key)")
        }
        if key == "fg" { style.foreground = spec } else { style.background = spec }
      default:
        guard let flag = flags[key] else {
          unknownFields.append("\(role).\(key)")
          continue
        }
        guard case .boolean(let on) = value else {
          throw ConfigError("\(origin): role '\(role)': '\(key)' must be true or false")
        }
        if on { style.attributes.insert(flag) }
      }
    }
    return style
  }
}
