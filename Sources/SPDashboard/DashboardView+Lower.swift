import SPEngine
import SPTUI

/// The lower half: the charts, the structure matrix, the waterfall or the energy rollout.
extension DashboardView {
  func renderLower(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    switch state.view {
    case .charts:
      let charts = Layout.horizontal(area, [.percentage(58), .fill(1)])
      renderFocusChart(s, in: charts[0], into: &buffer)
      renderLambdaPanel(s, in: charts[1], into: &buffer)
    case .matrix:
      renderMatrix(s, in: area, into: &buffer)
    case .waterfall:
      let halves = Layout.horizontal(area, [.percentage(58), .fill(1)])
      let index = min(max(0, state.focus), s.models.count - 1)
      let m = s.models[index]
      var waterfall = WaterfallView(
        rows: m.waterfall, lambdas: s.lambdas,
        title: text(" \(m.label) · homogeneity error over λ and steps "), theme: theme,
        glyphs: glyphs)
      if let cursor = state.inspection, cursor.panel == .main {
        let plot = WaterfallView.plotArea(in: halves[0])
        let scale = ColumnScale(
          range: (s.lambdas.first ?? -10)...(s.lambdas.last ?? 10), columns: plot.width,
          dotsPerColumn: 1)
        waterfall.cursor = cursor.x ?? scale.x(ofColumn: scale.columns / 2)
        waterfall.cursorRow = cursor.row
      }
      waterfall.render(in: halves[0], into: &buffer)
      renderLambdaPanel(s, in: halves[1], into: &buffer)
    case .rollout:
      renderRollout(s, in: area, into: &buffer)
    }
  }

  func renderRollout(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    guard let r = s.rollout else {
      let block = Block(
        title: text(" energy rollout "), badge: " o ", glyphs: glyphs,
        borderStyle: theme.focusedBorder, titleStyle: theme.title, badgeStyle: theme.accent)
      block.render(in: area, into: &buffer)
      CenteredMessage(
        [
          Line(text("the energy rollout is computed for the skew target"), style: theme.text),
          Line(
            s.replaySource == nil
              ? "start sptop with --target skew, or set target skew with e (settings)"
              : "start sptop with --target skew", style: theme.muted),
        ]
      ).render(in: block.inner(of: area), into: &buffer)
      return
    }
    var series = [
      LineChart.Series(
        text("reference A x"), style: theme.label, points: Array(zip(r.times, r.reference)))
    ]
    for (i, curve) in r.models.enumerated() where i < s.models.count && !curve.isEmpty {
      series.append(
        LineChart.Series(
          s.models[i].label, style: seriesStyle(s.models[i], index: i),
          points: Array(zip(r.times, curve))))
    }
    LineChart(
      series: series, title: text(" energy ‖x(t)‖² along dx/dt = N(x), implicit midpoint "),
      badge: badge, xRange: (r.times.first ?? 0)...(r.times.last ?? 1), yScale: yScale,
      legend: .topRight, glyphs: glyphs, bordered: true, focused: true, style: theme.text,
      borderStyle: theme.focusedBorder, titleStyle: theme.title, axisStyle: theme.axis,
      labelStyle: theme.label
    ).render(in: area, into: &buffer)
  }
}
