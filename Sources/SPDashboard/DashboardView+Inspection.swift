import SPEngine
import SPTUI

/// The inspection cursor's readouts, and where the inspectable charts are on screen.
extension DashboardView {
  /// Where the big chart's cursor stands when its own step is out of the steps shown.
  enum CursorEdge: Sendable, Hashable {
    case left, right
  }

  /// The step the big chart's cursor stands on: its own while the steps shown include it (the
  /// middle of them before it is first placed), else the edge it went out at (a tail slides
  /// past it), which `edge` names.
  func cursorStep(_ cursor: Inspection, shown: ClosedRange<Double>, plotColumns: Int)
    -> (step: Int, edge: CursorEdge?)
  {
    let scale = ColumnScale(
      range: shown, columns: plotColumns, dotsPerColumn: glyphs.braille ? 2 : 1)
    let x = (cursor.x ?? scale.x(ofColumn: scale.columns / 2)).rounded()
    let lower = shown.lowerBound.rounded(.up)
    let upper = max(lower, shown.upperBound.rounded(.down))
    if x < lower { return (Int(lower), .left) }
    if x > upper { return (Int(upper), .right) }
    return (Int(x), nil)
  }

  /// The big chart's readout at `step`: the value each history holds there (the raw values,
  /// smoothed or not); an ensemble's median with its quartiles. At an `edge` the step line says
  /// so ("step 4200 · left edge"): the cursor's own step is out of the steps shown.
  func focusReadout(_ m: ModelSnapshot, step: Int, color: Style, edge: CursorEdge? = nil)
    -> [Line]
  {
    func value(_ h: History) -> String { h.value(at: step).map { sci($0) } ?? glyphs.missing }
    var first = [Span("step ", style: theme.muted), Span("\(step)", style: theme.text)]
    switch edge {
    case .left?: first.append(Span(" · left edge", style: theme.muted))
    case .right?: first.append(Span(" · right edge", style: theme.muted))
    case nil: break
    }
    var lines = [Line(first)]
    let kinds: [(name: String, style: Style, single: History, band: BandHistory?)] = [
      ("a-priori", color, m.aprioriHistory, m.ensemble?.aprioriBand),
      ("loss", theme.label, m.lossHistory, m.ensemble?.lossBand),
    ]
    for (k, kind) in kinds.enumerated() {
      let sample = Span(glyphs.legendSample(series: k), style: kind.style)
      if let band = kind.band {
        lines += spreadLines(
          sample, " median \(kind.name) ", value(band.median), value(band.q1), value(band.q3))
      } else {
        lines.append(
          Line([
            sample, Span(" \(kind.name) ", style: theme.muted),
            Span(value(kind.single), style: theme.text),
          ]))
      }
    }
    return lines.map(textLine)
  }

  /// An ensemble's figure in a readout: the median after `label`, then its quartiles below.
  func spreadLines(
    _ sample: Span, _ label: String, _ median: String, _ q1: String, _ q3: String
  ) -> [Line] {
    [
      Line([sample, Span(label, style: theme.muted), Span(median, style: theme.text)]),
      Line([
        Span("   q1 ", style: theme.muted), Span(q1, style: theme.text),
        Span(" q3 ", style: theme.muted), Span(q3, style: theme.text),
      ]),
    ]
  }

  /// The λ panel's readout at the probe's `index`-th λ: each model drawn, its homogeneity error
  /// there (an ensemble's median with its quartiles).
  func lambdaReadout(_ s: SessionSnapshot, models: [Int], index k: Int) -> [Line] {
    var lines = [
      Line([Span("λ ", style: theme.muted), Span(lambdaText(s.lambdas[k]), style: theme.text)])
    ]
    for (n, i) in models.enumerated() {
      let m = s.models[i]
      let sample = Span(glyphs.legendSample(series: n), style: seriesStyle(m, index: i))
      if let e = m.ensemble, e.homogeneity.indices.contains(k) {
        let h = e.homogeneity[k]
        func value(_ v: Double?) -> String { v.map { sci($0) } ?? glyphs.missing }
        lines += spreadLines(
          sample, " \(m.label) median ", value(h.median), value(h.q1), value(h.q3))
      } else {
        let h = m.structure.homogeneity
        lines.append(
          Line([
            sample, Span(" \(m.label) ", style: theme.muted),
            Span(h.indices.contains(k) ? sci(h[k]) : glyphs.missing, style: theme.text),
          ]))
      }
    }
    return lines.map(textLine)
  }

  /// λ as the readouts write it: three significant digits ("-2.32", "0.101").
  func lambdaText(_ lambda: Double) -> String {
    NumberFormat.compact(lambda, significantDigits: 3)
  }

  /// `line` as the terminal can show it.
  func textLine(_ line: Line) -> Line {
    Line(line.spans.map { Span(text($0.text), style: $0.style) }, alignment: line.alignment)
  }

  /// The index of the value of `values` (ascending) nearest to `x`.
  static func nearest(_ x: Double, in values: [Double]) -> Int {
    var best = 0
    for (k, v) in values.enumerated() where abs(v - x) < abs(values[best] - x) { best = k }
    return best
  }

  /// The lower half of the screen (under the models pane, over the footer).
  func lowerArea(_ s: SessionSnapshot, in area: Rect) -> Rect {
    let (_, pane) = modelsPane(count: s.models.count, in: area)
    return Layout.vertical(area, [.length(1), .length(pane), .fill(1), .length(1)])[2]
  }

  /// Where the inspectable charts are when the dashboard fills `area`: the reducer moves the
  /// cursor by their columns and freezes the steps the big chart shows.
  public func geometry(in area: Rect) -> DashboardGeometry? {
    guard let s = snapshot, !s.models.isEmpty, area.width >= Self.minimumWidth,
      area.height >= Self.minimumHeight
    else { return nil }
    let halves = Layout.horizontal(lowerArea(s, in: area), [.percentage(58), .fill(1)])
    let dots = glyphs.braille ? 2 : 1
    let frame = LineChart(series: [], glyphs: glyphs, bordered: true)
    var g = DashboardGeometry()
    g.steps = state.range.steps(at: s.step)
    g.lambda = ColumnScale(
      range: -10...10, columns: frame.plotArea(in: halves[1]).width, dotsPerColumn: dots)
    switch state.view {
    case .charts:
      g.main = ColumnScale(
        range: g.steps!, columns: frame.plotArea(in: halves[0]).width, dotsPerColumn: dots)
    case .waterfall:
      let m = s.models[min(max(0, state.focus), s.models.count - 1)]
      let plot = WaterfallView.plotArea(in: halves[0])
      g.main = ColumnScale(
        range: (s.lambdas.first ?? -10)...(s.lambdas.last ?? 10), columns: plot.width,
        dotsPerColumn: 1)
      g.waterfallRows = min(m.waterfall.count, plot.height * (glyphs.braille ? 2 : 1))
    case .matrix, .rollout:
      break
    }
    return g
  }
}
