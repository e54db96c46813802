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

  /// The y ticks and their labels, floor first: on a log axis whose values were clamped the
  /// floor's label reads "≤" + floor.
  func yTickLabels(axis: ChartAxis, rows: Int) -> [(value: Double, label: String)] {
    var ticks: [(value: Double, label: String)] = []
    if case .log10(let floor) = yScale, hasClampedValues {
      ticks.append((floor, glyphs.atMost + NumberFormat.compact(floor)))
    }
    for t in axis.ticks(approximately: max(1, rows / 3)) {
      ticks.append((t, NumberFormat.compact(t)))
    }
    return ticks
  }

  /// The x ticks: the caller's, or round numbers about ten columns apart.
  func xTickValues(axis: ChartAxis, columns: Int) -> [Double] {
    xTicks ?? axis.ticks(approximately: max(1, columns / 10))
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

    var usedRows = Set<Int>()
    var ticks = yTickLabels(axis: yAxis, rows: plot.height)
    // A linear axis spans its values exactly, so its top is rarely a round tick: label it too
    // (its value, to three digits) when no tick label is within a row of it.
    if case .linear = yAxis.scale {
      let rows = ticks.compactMap { row(ofY: $0.value, axis: yAxis, canvas: canvas) }
      if let top = row(ofY: yAxis.upper, axis: yAxis, canvas: canvas), top == 0,
        rows.allSatisfy({ $0 > top + 1 })
      {
        ticks.append((yAxis.upper, NumberFormat.compact(yAxis.upper)))
      }
    }
    for tick in ticks {
      guard let r = row(ofY: tick.value, axis: yAxis, canvas: canvas), !usedRows.contains(r)
      else { continue }
      usedRows.insert(r)
      buffer[frame.axisColumn, plot.y + r] = Cell(glyphs.axisVerticalTick, style: axisStyle)
      let length = tick.label.unicodeScalars.count
      guard length <= frame.yLabels.width else { continue }
      buffer.write(tick.label, x: frame.yLabels.right - length, y: plot.y + r, style: labelStyle)
    }

    var labelEnd = Int.min
    for value in xTickValues(axis: xAxis, columns: plot.width).sorted() {
      guard let c = column(ofX: value, axis: xAxis, canvas: canvas) else { continue }
      buffer[plot.x + c, frame.axisRow] = Cell(glyphs.axisHorizontalTick, style: axisStyle)
      let label = NumberFormat.compact(value)
      let length = label.unicodeScalars.count
      guard length <= frame.xLabels.width else { continue }
      let start = min(
        max(plot.x + c - length / 2, frame.xLabels.left), frame.xLabels.right - length)
      guard labelEnd == Int.min || start > labelEnd else { continue }
      labelEnd = buffer.write(label, x: start, y: frame.xLabels.y, style: labelStyle)
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
