extension LineChart {
  /// The cell row (from the plot's top) that shows `value` on the y axis, or nil when off it.
  func row(ofY value: Double, axis: ChartAxis, canvas: DotCanvas) -> Int? {
    // Rounded from the top, exactly as the plotted points are, so a tick and a point at the same
    // value always share a row.
    guard let p = axis.position(of: value, dots: canvas.height) else { return nil }
    let fromTop = Double(canvas.height - 1) - p
    guard fromTop > -0.5, fromTop < Double(canvas.height) - 0.5 else { return nil }
    return Int(fromTop.rounded()) / canvas.dotsPerRow
  }

  /// The cell column (from the plot's left) that shows `value` on the x axis, or nil when off it.
  func column(ofX value: Double, axis: ChartAxis, canvas: DotCanvas) -> Int? {
    guard let d = axis.dot(of: value, dots: canvas.width) else { return nil }
    return d / canvas.dotsPerColumn
  }

  /// Empty rows kept between two y labels, and empty columns between two x labels.
  static let yLabelGap = 1
  static let xLabelGap = 2

  /// The y ticks with their labels and rows: the finest 1-2-5 step (of decades on a log axis)
  /// from about one tick every three rows whose labels all fit `width` columns and keep
  /// `yLabelGap` empty rows between them. On a log axis whose values were clamped the floor is
  /// labelled "≤" + floor and a tick within a row of it is left out.
  func yTickLabels(
    axis: ChartAxis, canvas: DotCanvas, width: Int
  ) -> [(value: Double, label: String, row: Int)] {
    var fixed: [(value: Double, label: String, row: Int)] = []
    if case .log10(let floor) = yScale, hasClampedValues,
      let r = row(ofY: floor, axis: axis, canvas: canvas)
    {
      fixed.append((floor, glyphs.atMost + NumberFormat.compact(floor), r))
    }
    func placed(_ values: [Double]) -> [(value: Double, label: String, row: Int)]? {
      var out = fixed
      for v in values {
        guard let r = row(ofY: v, axis: axis, canvas: canvas) else { continue }
        if fixed.contains(where: { abs($0.row - r) <= Self.yLabelGap }) { continue }
        let label = ChartAxis.label(v)
        guard label.unicodeScalars.count <= width else { return nil }
        out.append((v, label, r))
      }
      let rows = out.map(\.row).sorted()
      for (a, b) in zip(rows, rows.dropFirst()) where b - a <= Self.yLabelGap { return nil }
      return out
    }
    let values = axis.ticks(approximately: max(1, canvas.rows / 3)) { placed($0) != nil }
    return placed(values) ?? fixed
  }

  /// The x ticks with their columns and labels (nil where a label is left out). The caller's
  /// ticks are all marked, and a label is left out where it would come within `xLabelGap`
  /// columns of the one before; automatic ticks take the finest 1-2-5 step from about one tick
  /// every ten columns whose labels all fit that way.
  func xTickLabels(
    axis: ChartAxis, canvas: DotCanvas, frame: ChartFrame
  ) -> [(value: Double, column: Int, label: (text: String, start: Int)?)] {
    func placed(
      _ values: [Double], dropping: Bool
    ) -> [(value: Double, column: Int, label: (text: String, start: Int)?)]? {
      var out: [(value: Double, column: Int, label: (text: String, start: Int)?)] = []
      var end = Int.min
      for value in values.sorted() {
        guard let c = column(ofX: value, axis: axis, canvas: canvas) else { continue }
        let text = ChartAxis.label(value)
        let length = text.unicodeScalars.count
        let start = min(
          max(frame.plot.x + c - length / 2, frame.xLabels.left), frame.xLabels.right - length)
        if length <= frame.xLabels.width && (end == Int.min || start - end >= Self.xLabelGap) {
          out.append((value, c, (text, start)))
          end = start + length
        } else if dropping {
          out.append((value, c, nil))
        } else {
          return nil
        }
      }
      return out
    }
    if let xTicks { return placed(xTicks, dropping: true) ?? [] }
    let values = axis.ticks(approximately: max(1, canvas.columns / 10)) {
      placed($0, dropping: false) != nil
    }
    return placed(values, dropping: false) ?? []
  }

  /// Dashed lines at the reference y values, across the plot.
  func drawReferences(
    frame: ChartFrame, canvas: DotCanvas, yAxis: ChartAxis, into buffer: inout Buffer
  ) {
    for value in references {
      guard let r = row(ofY: value, axis: yAxis, canvas: canvas) else { continue }
      for c in 0..<frame.plot.width {
        let symbol = c % 2 == 0 ? glyphs.reference : glyphs.referenceGap
        buffer[frame.plot.x + c, frame.plot.y + r] = Cell(symbol, style: referenceStyle)
      }
    }
  }

  /// Vertical marker columns at the marker x values, down the plot.
  func drawMarkers(
    frame: ChartFrame, canvas: DotCanvas, xAxis: ChartAxis, into buffer: inout Buffer
  ) {
    for value in markers {
      guard let c = column(ofX: value, axis: xAxis, canvas: canvas) else { continue }
      for r in 0..<frame.plot.height {
        buffer[frame.plot.x + c, frame.plot.y + r] = Cell(glyphs.marker, style: markerStyle)
      }
    }
  }

  /// Both axes with their tick marks and labels.
  func drawAxes(
    frame: ChartFrame, canvas: DotCanvas, xAxis: ChartAxis, yAxis: ChartAxis,
    into buffer: inout Buffer
  ) {
    let plot = frame.plot
    for r in plot.top..<plot.bottom {
      buffer[frame.axisColumn, r] = Cell(glyphs.axisVertical, style: axisStyle)
    }
    for c in plot.left..<plot.right {
      buffer[c, frame.axisRow] = Cell(glyphs.axisHorizontal, style: axisStyle)
    }
    buffer[frame.axisColumn, frame.axisRow] = Cell(glyphs.axisCorner, style: axisStyle)

    var ticks = yTickLabels(axis: yAxis, canvas: canvas, width: frame.yLabels.width)
    // A linear axis spans its values exactly, so its top is rarely a round tick: label it too
    // (its value, to three digits) when no tick label is within a row of it.
    if case .linear = yAxis.scale,
      let top = row(ofY: yAxis.upper, axis: yAxis, canvas: canvas), top == 0,
      ticks.allSatisfy({ $0.row > top + Self.yLabelGap })
    {
      ticks.append((yAxis.upper, NumberFormat.compact(yAxis.upper), top))
    }
    for tick in ticks {
      buffer[frame.axisColumn, plot.y + tick.row] = Cell(
        glyphs.axisVerticalTick, style: axisStyle)
      let length = tick.label.unicodeScalars.count
      guard length <= frame.yLabels.width else { continue }
      buffer.write(
        tick.label, x: frame.yLabels.right - length, y: plot.y + tick.row, style: labelStyle)
    }

    for tick in xTickLabels(axis: xAxis, canvas: canvas, frame: frame) {
      buffer[plot.x + tick.column, frame.axisRow] = Cell(
        glyphs.axisHorizontalTick, style: axisStyle)
      if let label = tick.label {
        buffer.write(label.text, x: label.start, y: frame.xLabels.y, style: labelStyle)
      }
    }
  }

  /// The legend: a box in the plot's top-right corner, or a row under the labels.
  func drawLegend(frame: ChartFrame, into buffer: inout Buffer) {
    // Series without a name (an ensemble's faint traces) have no entry.
    let named = series.enumerated().filter { !$0.element.name.isEmpty }
    guard !named.isEmpty else { return }
    switch legend {
    case .hidden:
      return
    case .row:
      guard let row = frame.legendRow else { return }
      var spans: [Span] = []
      for (i, s) in named {
        if !spans.isEmpty { spans.append(Span("  ", style: labelStyle)) }
        spans.append(Span(glyphs.legendSample(series: i), style: s.style))
        spans.append(Span(" " + s.name, style: labelStyle))
      }
      buffer.write(Line(spans), x: row.x, y: row.y, maxWidth: row.width)
    case .topRight:
      let width = (named.map { $0.element.name.unicodeScalars.count }.max() ?? 0) + 5
      let plot = frame.plot
      guard width <= plot.width, named.count <= plot.height else { return }
      let box = Rect(x: plot.right - width, y: plot.y, width: width, height: named.count)
      buffer.fill(box, with: Cell(" ", style: style))
      for (row, (i, s)) in named.enumerated() {
        let x = buffer.write(
          glyphs.legendSample(series: i), x: box.x + 1, y: box.y + row, style: s.style)
        buffer.write(" " + s.name, x: x, y: box.y + row, style: labelStyle)
      }
    }
  }
}
