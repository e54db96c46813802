import SPEngine
import SPTUI

/// The export key (`E`): the big chart and the λ panel as the screen draws them, as SVG
/// figures — the histories as drawn, in the chart's range, with its smoothing (the raw curves
/// faint behind) and an ensemble's bands, on the y axis shown (log or linear).
extension DashboardView {
  /// The two figures of the charts on screen: the big chart, then the λ panel (nil before the
  /// first snapshot, or with no model).
  public func exportedPage() -> SVGPage? {
    guard let s = snapshot, !s.models.isEmpty else { return nil }
    return SVGPage(plots: [exportedChart(s), exportedLambdaPanel(s)])
  }

  /// The SVG colour of the model at `index` in the lineup.
  static func svgColor(_ index: Int) -> String { SVGPlot.palette[index % SVGPlot.palette.count] }

  /// The big chart: the focused model's a-priori error and loss (an ensemble's medians over
  /// their quartile and min–max bands, and each seed's curve faint when `S` shows them),
  /// smoothed as on screen over the whole run, then cut to the chart's range.
  func exportedChart(_ s: SessionSnapshot) -> SVGPlot {
    let index = min(max(0, state.focus), s.models.count - 1)
    let m = s.models[index]
    let color = Self.svgColor(index)
    let lossColor = "#555555"
    var series = [
      SVGPlot.Series(name: "a-priori error", color: color, points: m.aprioriHistory.points),
      SVGPlot.Series(name: "loss", color: lossColor, points: m.lossHistory.points),
    ]
    var title = "\(m.label) · a-priori error and loss"
    var traces: [SVGPlot.Series] = []
    var bands: [SVGPlot.Band] = []
    var notes: [String] = []
    let weight = state.smoothing
    func smoothed(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
      weight > 0 ? Smoothing.ema(p, weight: weight, scale: yScale) : p
    }
    if let e = m.ensemble {
      title = "\(m.label) · median a-priori error and loss of \(EnsembleSummary.seedCount(e.seeds))"
      series[0].name = "median a-priori"
      series[1].name = "median loss"
      if state.showTraces {
        traces = e.aprioriTraces.prefix(Self.maximumTraces).map {
          SVGPlot.Series(name: "seed", color: color, points: $0.points, faint: true)
        }
      }
      let b = e.aprioriBand
      bands = [
        SVGPlot.Band(
          name: "min–max", color: color, opacity: 0.12, lower: smoothed(b.min.points),
          upper: smoothed(b.max.points)),
        SVGPlot.Band(
          name: "quartiles", color: color, opacity: 0.3, lower: smoothed(b.q1.points),
          upper: smoothed(b.q3.points)),
      ]
      notes += ["bands: quartiles (darker),", "min–max (lighter)"]
    }
    var raw: [SVGPlot.Series] = []
    if weight > 0 {
      raw = series.map {
        SVGPlot.Series(name: $0.name, color: $0.color, points: $0.points, faint: true)
      }
      for k in series.indices { series[k].points = smoothed(series[k].points) }
      notes += [
        "smoothed: EMA \(Smoothing.text(weight))" + (state.logScale ? " in log space" : ""),
        "raw values faint",
      ]
    }
    // The range and the smoothing are said in the legend's notes, sized from their text (the
    // title stays short enough for the page).
    let shown = state.range.steps(at: s.step)
    if state.range != .whole {
      notes.append(
        "range: " + String(state.range.title.drop { $0 == "·" || $0 == " " }) + " (of "
          + "\(s.step))")
    }
    var plot = SVGPlot(
      title: title, xLabel: "training step", yLabel: "error", series: traces + raw + series,
      logY: state.logScale)
    plot.floor = Self.logFloor
    plot.bands = bands
    plot.notes = notes
    // The x axis spans the steps the chart spans (the whole run from 0).
    plot.xDomain = shown
    return state.range == .whole ? plot : plot.restricted(to: shown)
  }

  /// The λ panel: the homogeneity error over λ of the models it shows (an ensemble's medians
  /// over their quartile and min–max bands), at the step shown.
  func exportedLambdaPanel(_ s: SessionSnapshot) -> SVGPlot {
    let shown = lambdaModels(s)
    var bands: [SVGPlot.Band] = []
    var dark: [SVGPlot.Band] = []
    let series = shown.map { i in
      let m = s.models[i]
      let color = Self.svgColor(i)
      if let e = m.ensemble {
        func edge(_ value: (SeedStatistics) -> Double?) -> [(x: Double, y: Double)] {
          zip(s.lambdas, e.homogeneity).compactMap { l, h in value(h).map { (l, $0) } }
        }
        let (extremes, quartiles) = LogExport.spread(m.label, color: color, edge: edge)
        bands.append(extremes)
        dark.append(quartiles)
      }
      return SVGPlot.Series(
        name: m.ensemble.map { "\(m.label) (median of \($0.seeds))" } ?? m.label, color: color,
        points: zip(s.lambdas, m.structure.homogeneity).map { ($0, $1) })
    }
    var plot = SVGPlot(
      title: "Homogeneity error over λ at step \(s.step)", xLabel: "λ",
      yLabel: "homogeneity error", series: series, logY: state.logScale)
    plot.floor = Self.logFloor
    plot.bands = bands + dark
    if !bands.isEmpty { plot.notes = ["bands: quartiles (darker),", "min–max (lighter)"] }
    return plot
  }
}
