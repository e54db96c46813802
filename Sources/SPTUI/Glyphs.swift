/// The symbols widgets draw with: a Unicode set and a pure-ASCII set, chosen by the app from the
/// locale and passed to every widget.
public struct Glyphs: Hashable, Sendable {
  /// The six pieces of a rectangular border.
  public struct Border: Hashable, Sendable {
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar

    public init(
      horizontal: Unicode.Scalar, vertical: Unicode.Scalar, topLeft: Unicode.Scalar,
      topRight: Unicode.Scalar, bottomLeft: Unicode.Scalar, bottomRight: Unicode.Scalar
    ) {
      self.horizontal = horizontal
      self.vertical = vertical
      self.topLeft = topLeft
      self.topRight = topRight
      self.bottomLeft = bottomLeft
      self.bottomRight = bottomRight
    }
  }

  /// Border of an ordinary block.
  public var border: Border
  /// Border of the focused block.
  public var focusedBorder: Border
  /// Sparkline levels from the lowest non-empty one to the full cell (the last entry).
  public var sparkLevels: [Unicode.Scalar]
  /// Whether charts plot in braille (2×4 dots a cell) or one mark a cell.
  public var braille: Bool
  /// ASCII plotting: the mark at a data point.
  public var plotPoint: Unicode.Scalar
  /// ASCII plotting: the mark along a line between two data points.
  public var plotLine: Unicode.Scalar
  /// ASCII plotting: the data-point mark of each series in turn, so that series stay apart
  /// without colour (the legend shows each); empty: `plotPoint` for every series.
  public var seriesMarks: [Unicode.Scalar] = []

  /// The data-point mark of series `index`.
  public func pointMark(series index: Int) -> Unicode.Scalar {
    seriesMarks.isEmpty ? plotPoint : seriesMarks[abs(index) % seriesMarks.count]
  }

  /// The legend's sample of series `index`: two of its marks (braille: the line sample).
  public func legendSample(series index: Int) -> String {
    let mark = braille ? legendSample : pointMark(series: index)
    return String(String.UnicodeScalarView([mark, mark]))
  }
  /// A chart's vertical axis, its tick, horizontal axis, tick and the corner where they meet.
  public var axisVertical: Unicode.Scalar
  public var axisVerticalTick: Unicode.Scalar
  public var axisHorizontal: Unicode.Scalar
  public var axisHorizontalTick: Unicode.Scalar
  public var axisCorner: Unicode.Scalar
  /// A vertical event marker across a chart (drawn dim by the chart).
  public var marker: Unicode.Scalar
  /// A dashed horizontal reference line; `referenceGap` alternates with it when not a space.
  public var reference: Unicode.Scalar
  public var referenceGap: Unicode.Scalar
  /// The sample drawn before a legend entry's name.
  public var legendSample: Unicode.Scalar
  /// Marks text cut short.
  public var ellipsis: Unicode.Scalar
  /// Written before a log axis' floor label when values were clamped to it ("≤1e-16").
  public var atMost: String
  /// Shown for a number that is missing.
  public var missing: String

  public init(
    border: Border, focusedBorder: Border, sparkLevels: [Unicode.Scalar], braille: Bool,
    plotPoint: Unicode.Scalar, plotLine: Unicode.Scalar, axisVertical: Unicode.Scalar,
    axisVerticalTick: Unicode.Scalar, axisHorizontal: Unicode.Scalar,
    axisHorizontalTick: Unicode.Scalar, axisCorner: Unicode.Scalar, marker: Unicode.Scalar,
    reference: Unicode.Scalar, referenceGap: Unicode.Scalar, legendSample: Unicode.Scalar,
    ellipsis: Unicode.Scalar, atMost: String, missing: String
  ) {
    self.border = border
    self.focusedBorder = focusedBorder
    self.sparkLevels = sparkLevels.isEmpty ? ["#"] : sparkLevels
    self.braille = braille
    self.plotPoint = plotPoint
    self.plotLine = plotLine
    self.axisVertical = axisVertical
    self.axisVerticalTick = axisVerticalTick
    self.axisHorizontal = axisHorizontal
    self.axisHorizontalTick = axisHorizontalTick
    self.axisCorner = axisCorner
    self.marker = marker
    self.reference = reference
    self.referenceGap = referenceGap
    self.legendSample = legendSample
    self.ellipsis = ellipsis
    self.atMost = atMost
    self.missing = missing
  }

  /// Box drawing, block elements and braille: for UTF-8 terminals.
  public static let unicode = Glyphs(
    border: Border(
      horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
      bottomRight: "┘"),
    focusedBorder: Border(
      horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓", bottomLeft: "┗",
      bottomRight: "┛"),
    sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], braille: true,
    plotPoint: "•", plotLine: "·", axisVertical: "│", axisVerticalTick: "┤",
    axisHorizontal: "─", axisHorizontalTick: "┬", axisCorner: "└", marker: "│",
    reference: "┄", referenceGap: "┄", legendSample: "━", ellipsis: "…", atMost: "≤",
    missing: "—")

  /// Only printable ASCII: for terminals without a UTF-8 locale.
  public static let ascii: Glyphs = {
    var g = Glyphs(
      border: Border(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+"),
      focusedBorder: Border(
        horizontal: "=", vertical: "#", topLeft: "#", topRight: "#", bottomLeft: "#",
        bottomRight: "#"),
      sparkLevels: [".", ":", "-", "=", "+", "*", "#", "@"], braille: false,
      plotPoint: "*", plotLine: ".", axisVertical: "|", axisVerticalTick: "+",
      axisHorizontal: "-", axisHorizontalTick: "+", axisCorner: "+", marker: ":",
      reference: "-", referenceGap: " ", legendSample: "*", ellipsis: "~", atMost: "<=",
      missing: "-")
    g.seriesMarks = ["*", "o", "+", "x", "%", "&"]
    return g
  }()
}
