import SPNumerics
import SPTUI

/// The theme's roles by name, as theme files and `sptop themes` spell them.
extension Theme {
  /// A styled role of a theme (every role but the background colour and the series colours).
  public enum Role: String, CaseIterable, Sendable, Hashable {
    case text, muted, border
    case focusedBorder = "focused-border"
    case title, accent, good, warning, alarm, axis, label, selection
  }

  /// The name of the background role in theme files (a colour, not a style).
  public static let backgroundRoleName = "background"

  /// Every role name a theme file may set: the styled roles and `background`.
  public static var roleNames: [String] { Role.allCases.map(\.rawValue) + [backgroundRoleName] }

  /// The architectures shipped themes give a series colour of their own (those of today and
  /// those announced); any other architecture takes the next colour of `fallbackSeries`.
  public static var knownSeries: [String] { ArchitectureRegistry.names }

  /// The style of `role`.
  public subscript(role: Role) -> Style {
    get {
      switch role {
      case .text: text
      case .muted: muted
      case .border: border
      case .focusedBorder: focusedBorder
      case .title: title
      case .accent: accent
      case .good: good
      case .warning: warning
      case .alarm: alarm
      case .axis: axis
      case .label: label
      case .selection: selection
      }
    }
    set {
      switch role {
      case .text: text = newValue
      case .muted: muted = newValue
      case .border: border = newValue
      case .focusedBorder: focusedBorder = newValue
      case .title: title = newValue
      case .accent: accent = newValue
      case .good: good = newValue
      case .warning: warning = newValue
      case .alarm: alarm = newValue
      case .axis: axis = newValue
      case .label: label = newValue
      case .selection: selection = newValue
      }
    }
  }

  /// The theme as it shows with colours off (`--color never`, NO_COLOR): every colour becomes
  /// the terminal's own, every attribute (bold, reverse, …) stays, so focus and alarms still
  /// stand out.
  public func withoutColors() -> Theme {
    var t = self
    for role in Role.allCases {
      t[role] = Style(attributes: self[role].attributes)
    }
    t.background = .default
    t.series = series.mapValues { _ in .default }
    t.fallbackSeries = fallbackSeries.map { _ in .default }
    return t
  }
}
