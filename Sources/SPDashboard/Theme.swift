import SPTUI

/// Colours for roles, not places: what every pane of the dashboard draws with.
public struct Theme: Hashable, Sendable {
  public var name: String
  public var text: Style
  public var muted: Style
  public var border: Style
  public var focusedBorder: Style
  public var title: Style
  public var accent: Style
  public var good: Style
  public var warning: Style
  public var alarm: Style
  public var axis: Style
  public var label: Style
  public var selection: Style
  public var background: Color
  /// Series colours by architecture name; `fallbackSeries` for the rest, in lineup order.
  public var series: [String: Color]
  public var fallbackSeries: [Color]

  public init(
    name: String, text: Style, muted: Style, border: Style, focusedBorder: Style, title: Style,
    accent: Style, good: Style, warning: Style, alarm: Style, axis: Style, label: Style,
    selection: Style, background: Color, series: [String: Color], fallbackSeries: [Color]
  ) {
    self.name = name
    self.text = text
    self.muted = muted
    self.border = border
    self.focusedBorder = focusedBorder
    self.title = title
    self.accent = accent
    self.good = good
    self.warning = warning
    self.alarm = alarm
    self.axis = axis
    self.label = label
    self.selection = selection
    self.background = background
    self.series = series
    self.fallbackSeries = fallbackSeries
  }

  /// The colour of model `index` of the lineup, whose architecture is `architecture`.
  public func seriesColor(architecture: String, index: Int) -> Color {
    if let c = series[architecture] { return c }
    return fallbackSeries.isEmpty ? .default : fallbackSeries[index % fallbackSeries.count]
  }

  /// The compiled-in dark theme: sptop never starts without one.
  public static let dark = Theme(
    name: "dark",
    text: Style(foreground: .rgb(0xD8, 0xDE, 0xE9)),
    muted: Style(foreground: .rgb(0x7F, 0x84, 0x8E)),
    border: Style(foreground: .rgb(0x4C, 0x56, 0x6A)),
    focusedBorder: Style(foreground: .rgb(0x88, 0xC0, 0xD0), attributes: .bold),
    title: Style(foreground: .rgb(0xEC, 0xEF, 0xF4), attributes: .bold),
    accent: Style(foreground: .rgb(0x88, 0xC0, 0xD0), attributes: .bold),
    good: Style(foreground: .rgb(0xA3, 0xBE, 0x8C), attributes: .bold),
    warning: Style(foreground: .rgb(0xEB, 0xCB, 0x8B), attributes: .bold),
    alarm: Style(foreground: .rgb(0xFF, 0x55, 0x55), attributes: [.bold, .reverse]),
    axis: Style(foreground: .rgb(0x61, 0x6E, 0x88)),
    label: Style(foreground: .rgb(0x9A, 0xA5, 0xB8)),
    selection: Style(background: .rgb(0x3B, 0x42, 0x52), attributes: .bold),
    background: .default,
    series: [
      "vanilla": .rgb(0xFF, 0x6E, 0x6E), "penalized": .rgb(0xEB, 0xCB, 0x8B),
      "linear": .rgb(0x8F, 0xE3, 0x88), "biasfree": .rgb(0x81, 0xA1, 0xC1),
      "odd": .rgb(0xB4, 0x8E, 0xAD), "skew": .rgb(0x5F, 0xD7, 0xD7),
      "mass": .rgb(0xD0, 0x87, 0x70), "penalized-scaled": .rgb(0xFF, 0x9F, 0xD6),
    ],
    fallbackSeries: [.rgb(0x81, 0xA1, 0xC1), .rgb(0xB4, 0x8E, 0xAD), .rgb(0x88, 0xC0, 0xD0)])
}
