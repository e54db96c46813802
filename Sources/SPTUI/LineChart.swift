/// A chart of several series of (x, y) points joined by lines, with tick-labelled axes, optional
/// event markers, reference lines, legend, title and badge.
///
/// Plots in braille (2×4 dots a cell) with `Glyphs.unicode` and one mark a cell with
/// `Glyphs.ascii` ('*' at data points, '.' along the lines between them). Points with a
/// non-finite x or y are skipped (the line joins their neighbours). On a `.log10(floor:)` y
/// scale values ≤ floor, zero included, are drawn at the floor, never dropped; when any was, the
/// floor's tick label reads "≤1e-16" ("<=" in ASCII). Where series share a cell the later
/// series' colour wins (the dots of both stay); a series drawn `behind` shows only in cells the
/// others leave empty. Explicit ranges are kept as given: lines leaving them are clipped at the
/// edge.
///
/// Inside the frame (a `Block` when `bordered`) the y labels take `yLabelWidth` columns at the
/// left, then the y axis; the x axis and its labels take the two bottom rows. An area too small
/// for axes gets the plot alone.
public struct LineChart: Widget {
  public typealias YScale = ChartScale

  /// One named line on the chart.
  public struct Series: Sendable {
    public var name: String
    public var style: Style
    public var points: [(x: Double, y: Double)]
    /// Drawn on a layer of its own behind the other series (a smoothed curve's raw values): a
    /// cell where any other series has dots shows only theirs, so a line drawn over a dense
    /// cloud stays a line.
    public var behind = false

    public init(_ name: String, style: Style = .plain, points: [(x: Double, y: Double)]) {
      self.name = name
      self.style = style
      self.points = points
    }

    /// A series whose x values are `firstX`, `firstX + 1`, … (e.g. training steps).
    public init(_ name: String, style: Style = .plain, values: [Double], firstX: Double = 0) {
      self.init(
        name, style: style,
        points: values.enumerated().map { (firstX + Double($0.offset), $0.element) })
    }
  }

  /// Where the legend goes.
  public enum LegendPlacement: Hashable, Sendable {
    case hidden
    /// A box of cleared cells in the top-right corner of the plot (left out when it does not fit).
    case topRight
    /// One row under the x labels.
    case row
  }

  public var series: [Series]
  public var title: String?
  /// Text in the top-right corner of the frame, e.g. "LOG" or "LIN".
  public var badge: String?
  /// The x range; computed from the points when nil.
  public var xRange: ClosedRange<Double>?
  /// The y range in the values' units; computed from the points (and references) when nil.
  public var yRange: ClosedRange<Double>?
  public var yScale: YScale
  /// Where the x ticks go; about one every ten columns, at round numbers, when nil.
  public var xTicks: [Double]?
  /// x values of vertical event markers (e.g. model resets), drawn dim behind the series.
  public var markers: [Double]
  /// Text beside some markers (e.g. `→ linear` where a model was replaced), on the plot's
  /// bottom row, right of the marker where it fits, else left of it; cut with an ellipsis when
  /// neither side holds it whole.
  public var markerLabels: [MarkerLabel] = []
  /// Whether a fitted linear y axis reaches down (or up) to zero, as one of errors should (a
  /// log axis has no zero and ignores it).
  public var yIncludesZero = false
  /// y values of dashed horizontal reference lines, drawn behind the series.
  public var references: [Double]
  /// Shaded bands behind the series (an ensemble's spread), later ones over earlier ones.
  public var bands: [Band] = []
  public var legend: LegendPlacement
  /// The x value of an inspection cursor: a vertical line down the plot (nil: none).
  public var cursor: Double?
  public var cursorStyle: Style = Style(attributes: .bold)
  /// What the series are at the cursor, line by line: drawn in a box in place of the legend
  /// while there is a cursor (`LineChart+Cursor`).
  public var readout: [Line] = []
  public var glyphs: Glyphs
  public var bordered: Bool
  public var focused: Bool
  public var showAxes: Bool
  /// Columns for the y tick labels; a label wider than this is left out.
  public var yLabelWidth: Int
  public var style: Style
  public var borderStyle: Style
  public var titleStyle: Style
  public var axisStyle: Style
  public var labelStyle: Style
  public var markerStyle: Style
  public var referenceStyle: Style

  public init(
    series: [Series], title: String? = nil, badge: String? = nil,
    xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
    yScale: YScale = .linear, xTicks: [Double]? = nil, markers: [Double] = [],
    references: [Double] = [], legend: LegendPlacement = .topRight, glyphs: Glyphs = .unicode,
    bordered: Bool = true, focused: Bool = false, showAxes: Bool = true, yLabelWidth: Int = 7,
    style: Style = .plain, borderStyle: Style = .plain,
    titleStyle: Style = Style(attributes: .bold), axisStyle: Style = .plain,
    labelStyle: Style = .plain, markerStyle: Style = Style(attributes: .dim),
    referenceStyle: Style = Style(attributes: .dim)
  ) {
    self.series = series
    self.title = title
    self.badge = badge
    self.xRange = xRange
    self.yRange = yRange
    self.yScale = yScale
    self.xTicks = xTicks
    self.markers = markers
    self.references = references
    self.legend = legend
    self.glyphs = glyphs
    self.bordered = bordered
    self.focused = focused
    self.showAxes = showAxes
    self.yLabelWidth = max(0, yLabelWidth)
    self.style = style
    self.borderStyle = borderStyle
    self.titleStyle = titleStyle
    self.axisStyle = axisStyle
    self.labelStyle = labelStyle
    self.markerStyle = markerStyle
    self.referenceStyle = referenceStyle
  }

  /// The x axis the chart uses.
  public var xAxis: ChartAxis {
    if let xRange { return ChartAxis(range: xRange, scale: .linear) }
    return ChartAxis.fitting(series.flatMap { $0.points.map(\.x) }, scale: .linear)
  }

  /// The y axis the chart uses.
  public var yAxis: ChartAxis {
    if let yRange { return ChartAxis(range: yRange, scale: yScale) }
    let zero: [Double] = yIncludesZero && yScale == .linear ? [0] : []
    let spread = bands.flatMap { $0.lower.map(\.y) + $0.upper.map(\.y) }
    return ChartAxis.fitting(
      series.flatMap { $0.points.map(\.y) } + references + zero + spread, scale: yScale)
  }

  /// Whether some drawn point lies at or below the log floor.
  public var hasClampedValues: Bool {
    let axis = ChartAxis(scaledLower: 0, scaledUpper: 1, scale: yScale)
    return series.contains { s in s.points.contains { $0.x.isFinite && axis.isClamped($0.y) } }
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    buffer.fill(area, with: Cell(" ", style: style))
    var content = area
    if bordered && Block.fitsBorder(area) {
      let block = Block(
        title: title, badge: badge, glyphs: glyphs, borderStyle: borderStyle,
        titleStyle: titleStyle, focused: focused)
      block.render(in: area, into: &buffer)
      content = block.inner(of: area)
    } else if !bordered, title != nil || badge != nil, area.height >= 2 {
      drawHeader(in: Rect(x: area.x, y: area.y, width: area.width, height: 1), into: &buffer)
      content = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
    }
    let frame = ChartFrame(content: content, chart: self)
    var canvas = DotCanvas(
      columns: frame.plot.width, rows: frame.plot.height, braille: glyphs.braille)
    // The layer of the series drawn behind the others (`Series.behind`).
    var back = DotCanvas(
      columns: frame.plot.width, rows: frame.plot.height, braille: glyphs.braille)
    let x = xAxis
    let y = yAxis
    drawReferences(frame: frame, canvas: canvas, yAxis: y, into: &buffer)
    drawMarkers(frame: frame, canvas: canvas, xAxis: x, into: &buffer)
    for (index, s) in series.enumerated() {
      var previous: (x: Double, y: Double)?
      for p in s.points {
        guard let px = x.position(of: p.x, dots: canvas.width),
          let py = y.position(of: p.y, dots: canvas.height)
        else { continue }
        let dot = (x: px, y: Double(canvas.height - 1) - py)
        if let previous {
          if s.behind {
            back.line(from: previous, to: dot, series: index)
          } else {
            canvas.line(from: previous, to: dot, series: index)
          }
        } else if s.behind {
          back.point(dot, series: index)
        } else {
          canvas.point(dot, series: index)
        }
        previous = dot
      }
    }
    // Bands shade the cells no series is drawn in.
    let shaded = Self.bandCells(
      bands, columns: canvas.columns, rows: canvas.rows, dotsPerColumn: canvas.dotsPerColumn,
      dotsPerRow: canvas.dotsPerRow, xAxis: x, yAxis: y)
    for (cell, k) in shaded {
      buffer[frame.plot.x + cell % canvas.columns, frame.plot.y + cell / canvas.columns] = Cell(
        bands[k].glyph, style: bands[k].style)
    }
    let cursorColumn = cursorColumn(canvas: canvas, xAxis: x)
    if let c = cursorColumn { drawCursor(frame: frame, column: c, into: &buffer) }
    for row in 0..<canvas.rows {
      for col in 0..<canvas.columns {
        let layer = canvas.series(column: col, row: row) != nil ? canvas : back
        guard let symbol = layer.symbol(column: col, row: row, glyphs: glyphs),
          let owner = layer.series(column: col, row: row)
        else { continue }
        buffer[frame.plot.x + col, frame.plot.y + row] = Cell(symbol, style: series[owner].style)
      }
    }
    if frame.axes {
      drawAxes(frame: frame, canvas: canvas, xAxis: x, yAxis: y, into: &buffer)
    }
    drawMarkerLabels(frame: frame, canvas: canvas, xAxis: x, into: &buffer)
    if cursor != nil && !readout.isEmpty {
      drawReadout(frame: frame, cursorColumn: cursorColumn, into: &buffer)
    } else {
      drawLegend(frame: frame, into: &buffer)
    }
  }

  /// Each marker label on the plot's bottom row beside its marker.
  private func drawMarkerLabels(
    frame: ChartFrame, canvas: DotCanvas, xAxis: ChartAxis, into buffer: inout Buffer
  ) {
    let plot = frame.plot
    guard plot.height > 0 else { return }
    let row = plot.y + plot.height - 1
    for label in markerLabels {
      guard let c = column(ofX: label.x, axis: xAxis, canvas: canvas) else { continue }
      let length = label.text.unicodeScalars.count
      let right = plot.width - c - 1
      let left = c
      let (x, room) =
        length <= right || right >= left ? (c + 1, right) : (c - min(length, left), left)
      guard room > 0 else { continue }
      let shown =
        length <= room ? label.text : label.text.truncated(to: room, ellipsis: glyphs.ellipsis)
      buffer.write(shown, x: plot.x + x, y: row, style: markerStyle)
    }
  }

  /// Title at the left and badge at the right of an unbordered chart's top row.
  private func drawHeader(in row: Rect, into buffer: inout Buffer) {
    var used = 0
    if let title {
      let shown = title.truncated(to: row.width, ellipsis: glyphs.ellipsis)
      buffer.write(shown, x: row.x, y: row.y, style: titleStyle)
      used = shown.unicodeScalars.count
    }
    if let badge {
      let length = badge.unicodeScalars.count
      if used + (used > 0 ? 1 : 0) + length <= row.width {
        buffer.write(badge, x: row.right - length, y: row.y, style: labelStyle)
      }
    }
  }
}

/// Where the parts of a chart go inside its frame.
struct ChartFrame {
  /// The cells the series are plotted in.
  var plot: Rect
  /// Whether there is room for axes and tick labels.
  var axes: Bool
  /// The column of the y axis and the row of the x axis.
  var axisColumn: Int
  var axisRow: Int
  /// Room for the y labels (left) and the x labels (the row under the axis).
  var yLabels: Rect
  var xLabels: Rect
  /// The legend row, when the legend goes on its own row.
  var legendRow: Rect?

  init(content: Rect, chart: LineChart) {
    var rest = content
    legendRow = nil
    if chart.legend == .row, !chart.series.isEmpty, rest.height >= 2 {
      legendRow = Rect(x: rest.x, y: rest.bottom - 1, width: rest.width, height: 1)
      rest.height -= 1
    }
    let labelWidth = chart.yLabelWidth
    axes = chart.showAxes && rest.height >= 3 && rest.width >= labelWidth + 2
    if axes {
      plot = Rect(
        x: rest.x + labelWidth + 1, y: rest.y, width: rest.width - labelWidth - 1,
        height: rest.height - 2)
      axisColumn = rest.x + labelWidth
      axisRow = plot.bottom
      yLabels = Rect(x: rest.x, y: rest.y, width: labelWidth, height: plot.height)
      xLabels = Rect(x: rest.x, y: plot.bottom + 1, width: rest.width, height: 1)
    } else {
      plot = rest
      axisColumn = rest.x - 1
      axisRow = rest.bottom
      yLabels = Rect(x: rest.x, y: rest.y, width: 0, height: 0)
      xLabels = Rect(x: rest.x, y: rest.bottom, width: 0, height: 0)
    }
  }
}

/// Text beside a chart's marker at x.
public struct MarkerLabel: Sendable, Hashable {
  public var x: Double
  public var text: String

  public init(x: Double, text: String) {
    self.x = x
    self.text = text
  }
}
