import SPEngine
import SPNumerics
import SPTUI

/// The two charts: the focused model's errors over the whole run, and homogeneity over λ.
extension DashboardView {
  /// Values at or below this are drawn at the floor of a log axis (and the floor is labelled ≤).
  public static let logFloor = 1e-17

  var yScale: ChartScale { state.logScale ? .log10(floor: Self.logFloor) : .linear }
  var badge: String { state.logScale ? " LOG " : " LIN " }

  func renderFocusChart(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    guard !s.models.isEmpty else { return }
    let index = min(max(0, state.focus), s.models.count - 1)
    let m = s.models[index]
    let color = seriesStyle(m, index: index)
    var series = [
      LineChart.Series("a-priori error", style: color, points: m.aprioriHistory.points),
      LineChart.Series("loss", style: theme.label, points: m.lossHistory.points),
    ]
    var title = " \(m.label) · a-priori error and loss "
    // What a smoothed chart's title keeps when the whole one does not fit.
    var short = " \(m.label) "
    if let e = m.ensemble {
      // Medians over the seeds; `S`: every seed's curve, faint, behind them (at most 64).
      title =
        " \(m.label) · median a-priori error and loss of \(EnsembleSummary.seedCount(e.seeds)) "
      short = " \(m.label) · medians of \(EnsembleSummary.seedCount(e.seeds)) "
      series[0].name = "median a-priori"
      series[1].name = "median loss"
      if state.showTraces {
        let shown = e.aprioriTraces.prefix(Self.maximumTraces)
        series =
          shown.map {
            LineChart.Series("", style: color.adding(.dim), points: $0.points)
          } + series
        if e.aprioriTraces.count > shown.count {
          title += "(\(shown.count) of \(e.aprioriTraces.count) seeds drawn) "
        }
      }
    }
    // Smoothing (`z`): the curves drawn are the smoothed ones, the raw ones faint behind them
    // (in the cells the smoothed ones leave free; an ensemble's medians alike, its seeds'
    // traces stay raw), and the bands' edges are smoothed the same way.
    let weight = state.smoothing
    if weight > 0 {
      let raw = series.suffix(2).map {
        var r = LineChart.Series("", style: $0.style.adding(.dim), points: $0.points)
        r.behind = true
        return r
      }
      for k in series.indices.suffix(2) {
        series[k].points = Smoothing.ema(series[k].points, weight: weight, scale: yScale)
      }
      series.insert(contentsOf: raw, at: series.count - 2)
    }
    // The range (`g`, `<`, `>`): the points of the steps shown (smoothed over the whole run
    // first, so a window's first points are averaged as they are on the whole chart).
    let shown = state.range.steps(at: s.step)
    if state.range != .whole {
      for k in series.indices {
        series[k].points = series[k].points.filter { shown.contains($0.x) }
      }
    }
    // The smoothing and the range are said whole; the rest of the title gives way when the
    // chart is narrow (room for the badge kept).
    // Short forms when even that does not fit: "· ema 0.9 log · 100–200 frozen", at last
    // without the model's name (the models pane marks it).
    func said(_ parts: [String]) -> String {
      parts.filter { !$0.isEmpty }.joined(separator: " ") + " "
    }
    let long = said([smoothingTitle(weight), state.range.title])
    if long != " " {
      let room = area.width - 4 - (badge.unicodeScalars.count + 3)
      let shorter = said([shortSmoothingTitle(weight), state.range.title])
      let shortest = said([shortSmoothingTitle(weight), state.range.shortTitle])
      // Smoothing alone is said whole at every size.
      let candidates =
        state.range == .whole
        ? [title + long, short + long]
        : [
          title + long, short + long, short + shorter, short + shortest,
          " " + String(shortest.drop { $0 == "·" || $0 == " " }),
        ]
      title = candidates.first { text($0).unicodeScalars.count <= room } ?? candidates.last!
    }
    var chart = LineChart(
      series: series, title: text(title), badge: badge,
      xRange: shown, yScale: yScale,
      markers: (m.resets + m.etaChanges).map(Double.init), legend: .topRight, glyphs: glyphs,
      bordered: true,
      focused: true, style: theme.text, borderStyle: theme.focusedBorder,
      titleStyle: theme.title, axisStyle: theme.axis, labelStyle: theme.label,
      markerStyle: theme.warning)
    chart.yIncludesZero = true  // errors and losses are ≥ 0: a linear axis starts at 0
    if let e = m.ensemble {
      chart.bands = ensembleBands(e.aprioriBand, color: color).map { band in
        var b = band
        b.lower = Smoothing.ema(band.lower, weight: weight, scale: yScale)
        b.upper = Smoothing.ema(band.upper, weight: weight, scale: yScale)
        if state.range != .whole {
          b.lower = b.lower.filter { shown.contains($0.x) }
          b.upper = b.upper.filter { shown.contains($0.x) }
        }
        return b
      }
    }
    // Switches, setting and problem changes are labelled markers; η changes and resets plain
    // ones.
    chart.markers += m.settingChanges.map { Double($0.step) }
    // Changes at one step share one label ("optimizer adam, batch 40"); a change of the
    // session's target or n ("target skew, n 8") is also a reset, so its marker is there.
    let labels =
      m.problemChanges.map { (step: $0.step, text: $0.description) }
      + m.switches.map { (step: $0.step, text: text("→ \($0.to)")) }
      + m.settingChanges.map { (step: $0.step, text: $0.setting.description) }
    var byStep: [(step: Int, texts: [String])] = []
    for l in labels {
      if let k = byStep.firstIndex(where: { $0.step == l.step }) {
        byStep[k].texts.append(l.text)
      } else {
        byStep.append((l.step, [l.text]))
      }
    }
    chart.markerLabels = byStep.map {
      MarkerLabel(x: Double($0.step), text: $0.texts.joined(separator: ", "))
    }
    // The cursor (`v`): a step, and what the histories hold there.
    if let cursor = state.inspection, cursor.panel == .main {
      let (step, edge) = cursorStep(
        cursor, shown: shown, plotColumns: chart.plotArea(in: area).width)
      chart.cursor = Double(step)
      chart.cursorStyle = theme.accent
      chart.readout = focusReadout(m, step: step, color: color, edge: edge)
    }
    chart.render(in: area, into: &buffer)
  }

  /// What the big chart's title says of its smoothing: "· smoothed 0.9 in log space" (the
  /// average runs over the logarithms on a log axis), nothing when off.
  func smoothingTitle(_ weight: Double) -> String {
    guard weight > 0 else { return "" }
    return "· smoothed \(Smoothing.text(weight))" + (state.logScale ? " in log space" : "")
  }

  /// The smoothing said short: "· ema 0.9 log" (on a log axis), nothing when off.
  func shortSmoothingTitle(_ weight: Double) -> String {
    guard weight > 0 else { return "" }
    return "· ema \(Smoothing.text(weight))" + (state.logScale ? " log" : "")
  }

  /// Traces an ensemble's chart draws at most (each seed's curve costs a frame its points).
  static let maximumTraces = ModelEnsemble.tracedSeeds

  /// An ensemble's spread behind a median curve: min–max faint, the interquartile range
  /// shaded over it.
  func ensembleBands(_ band: BandHistory, color: Style) -> [LineChart.Band] {
    [
      LineChart.Band(
        lower: band.min.points, upper: band.max.points, glyph: glyphs.braille ? "·" : ".",
        style: color.adding(.dim)),
      LineChart.Band(
        lower: band.q1.points, upper: band.q3.points, glyph: glyphs.braille ? "░" : ":",
        style: color),
    ]
  }

  /// The model compared with vanilla in the λ panel: the focused model unless it is a vanilla
  /// one, else the model whose architecture guarantees the most structure (the first on ties).
  func comparedModel(_ s: SessionSnapshot) -> Int? {
    let focus = min(max(0, state.focus), s.models.count - 1)
    if !isBaseline(s.models[focus]) { return focus }
    let others = s.models.indices.filter { !isBaseline(s.models[$0]) }
    return others.max { a, b in
      (s.models[a].guarantees.count, b) < (s.models[b].guarantees.count, a)
    }
  }

  /// Whether `m` is of the baseline architecture (the seed's vanilla MLP, by its registry entry).
  func isBaseline(_ m: ModelSnapshot) -> Bool {
    ArchitectureRegistry.entry(named: m.architecture)?.role == .baseline
  }

  /// The λ panel's title, shortened when the panel is narrow.
  func lambdaTitle(width: Int) -> String {
    let long = text(" homogeneity error over λ ")
    return long.unicodeScalars.count + 12 <= width ? long : text(" homogeneity vs λ ")
  }

  /// The models the λ panel shows: a vanilla one (the focused model if it is one) and the
  /// compared model.
  func lambdaModels(_ s: SessionSnapshot) -> [Int] {
    var shown: [Int] = []
    let focus = min(max(0, state.focus), s.models.count - 1)
    if let v = s.models.firstIndex(where: isBaseline) {
      shown.append(isBaseline(s.models[focus]) ? focus : v)
    }
    if let c = comparedModel(s), !shown.contains(c) { shown.append(c) }
    if shown.isEmpty { shown = [focus] }
    return shown
  }

  func renderLambdaPanel(_ s: SessionSnapshot, in area: Rect, into buffer: inout Buffer) {
    guard !s.models.isEmpty else { return }
    let shown = lambdaModels(s)
    let series = shown.map { i in
      LineChart.Series(
        s.models[i].label, style: seriesStyle(s.models[i], index: i),
        points: zip(s.lambdas, s.models[i].structure.homogeneity).map { ($0, $1) })
    }
    var chart = LineChart(
      series: series, title: lambdaTitle(width: area.width), badge: badge, xRange: -10...10,
      yScale: yScale, xTicks: [-10, 0, 10], legend: .topRight, glyphs: glyphs, bordered: true,
      style: theme.text, borderStyle: theme.border, titleStyle: theme.title,
      axisStyle: theme.axis, labelStyle: theme.label)
    chart.yIncludesZero = true
    // An ensemble: each curve is the median over the seeds, its interquartile range shaded.
    chart.bands = shown.compactMap { i in
      guard let e = s.models[i].ensemble else { return nil }
      return LineChart.Band(
        lower: zip(s.lambdas, e.homogeneity).compactMap { l, h in h.q1.map { (l, $0) } },
        upper: zip(s.lambdas, e.homogeneity).compactMap { l, h in h.q3.map { (l, $0) } },
        glyph: glyphs.braille ? "░" : ":", style: seriesStyle(s.models[i], index: i).adding(.dim))
    }
    // The cursor (`v` twice): a λ of the probe, and each model's error there.
    if let cursor = state.inspection, cursor.panel == .lambda, !s.lambdas.isEmpty {
      let scale = ColumnScale(
        range: -10...10, columns: chart.plotArea(in: area).width,
        dotsPerColumn: glyphs.braille ? 2 : 1)
      let x = cursor.x ?? scale.x(ofColumn: scale.columns / 2)
      let k = Self.nearest(x, in: s.lambdas)
      chart.cursor = s.lambdas[k]
      chart.cursorStyle = theme.accent
      chart.readout = lambdaReadout(s, models: shown, index: k)
    }
    chart.render(in: area, into: &buffer)
  }
}
