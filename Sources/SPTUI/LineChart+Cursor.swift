/// The inspection cursor of a chart: a vertical line at an x value, and a readout box of what
/// the series are there (drawn in place of the legend).
extension LineChart {
  /// The cells the series are plotted in when the chart is drawn in `area`.
  public func plotArea(in area: Rect) -> Rect {
    var content = area
    if bordered && Block.fitsBorder(area) {
      content = Block(title: title, badge: badge, glyphs: glyphs).inner(of: area)
    } else if !bordered, title != nil || badge != nil, area.height >= 2 {
      content = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
    }
    return ChartFrame(content: content, chart: self).plot
  }

  /// The cursor's column from the plot's left, or nil when there is none or it is off the
  /// chart.
  func cursorColumn(canvas: DotCanvas, xAxis: ChartAxis) -> Int? {
    guard let cursor else { return nil }
    return column(ofX: cursor, axis: xAxis, canvas: canvas)
  }

  /// The cursor column down the plot, in the cells no series or band takes.
  func drawCursor(frame: ChartFrame, column c: Int, into buffer: inout Buffer) {
    let symbol: Unicode.Scalar = glyphs.braille ? "│" : "|"
    for r in 0..<frame.plot.height {
      buffer[frame.plot.x + c, frame.plot.y + r] = Cell(symbol, style: cursorStyle)
    }
  }

  /// The readout: a box of cleared cells at the plot's top right, or its top left when the
  /// cursor runs through the right one; a line too long for the plot is cut with an ellipsis.
  func drawReadout(frame: ChartFrame, cursorColumn: Int?, into buffer: inout Buffer) {
    let plot = frame.plot
    guard !readout.isEmpty, plot.width >= 3, plot.height >= 1 else { return }
    let width = min(plot.width, (readout.map(\.width).max() ?? 0) + 2)
    let height = min(plot.height, readout.count)
    var x = plot.right - width
    if let c = cursorColumn, plot.x + c >= x, c >= width { x = plot.x }
    let box = Rect(x: x, y: plot.y, width: width, height: height)
    buffer.fill(box, with: Cell(" ", style: style))
    for (row, line) in readout.prefix(height).enumerated() {
      buffer.write(
        line.truncated(to: width - 2, ellipsis: glyphs.ellipsis), x: box.x + 1, y: box.y + row,
        maxWidth: width - 2)
    }
  }
}

/// The map between a chart's x values and the columns of its plot, as `LineChart` draws them:
/// what an inspection cursor moves over.
public struct ColumnScale: Sendable, Hashable {
  public var range: ClosedRange<Double>
  public var columns: Int
  public var dotsPerColumn: Int

  public init(range: ClosedRange<Double>, columns: Int, dotsPerColumn: Int) {
    self.range = range
    self.columns = max(1, columns)
    self.dotsPerColumn = max(1, dotsPerColumn)
  }

  var axis: ChartAxis { ChartAxis(range: range, scale: .linear) }
  var dots: Int { columns * dotsPerColumn }

  /// The column (from the left) that shows `x`, clamped to the plot.
  public func column(of x: Double) -> Int {
    guard let p = axis.position(of: x, dots: dots) else { return 0 }
    let d = Int(max(0, min(Double(dots - 1), p)).rounded())
    return min(columns - 1, d / dotsPerColumn)
  }

  /// The x value at the middle of column `c` (clamped to the plot).
  public func x(ofColumn c: Int) -> Double {
    let k = min(max(0, c), columns - 1)
    let dot = Double(k * dotsPerColumn) + Double(dotsPerColumn - 1) / 2
    let a = axis
    return a.lower + dot / Double(max(1, dots - 1)) * (a.upper - a.lower)
  }

  /// `x` moved by `by` columns, kept on the plot; an integral x (a step) stays integral and
  /// moves at least one unit when the columns are finer than the units.
  public func moved(_ x: Double, by: Int, integral: Bool) -> Double {
    let target = self.x(ofColumn: column(of: x) + by)
    guard integral else { return target }
    let here = x.rounded()
    var next = target.rounded()
    // Never back, nor standing still: at least one step the way asked (within the last
    // column, step by step to the end).
    if by > 0, next <= here { next = here + 1 }
    if by < 0, next >= here { next = here - 1 }
    return min(max(next, range.lowerBound.rounded(.up)), range.upperBound.rounded(.down))
  }
}

extension Line {
  /// This line cut to at most `width` cells, its last cell `ellipsis` when cut (the ellipsis
  /// takes the style of the span it ends).
  public func truncated(to width: Int, ellipsis: Unicode.Scalar) -> Line {
    guard self.width > width else { return self }
    guard width > 0 else { return Line([]) }
    var out: [Span] = []
    var room = width
    for span in spans {
      if span.width < room {
        out.append(span)
        room -= span.width
        continue
      }
      out.append(Span(span.text.truncated(to: room, ellipsis: ellipsis), style: span.style))
      break
    }
    if let last = out.last, last.text.unicodeScalars.last != ellipsis {
      // The cut fell at a span's end: its last cell becomes the ellipsis.
      var text = String.UnicodeScalarView(last.text.unicodeScalars.dropLast())
      text.append(ellipsis)
      out[out.count - 1] = Span(String(text), style: last.style)
    }
    return Line(out, alignment: alignment)
  }
}
