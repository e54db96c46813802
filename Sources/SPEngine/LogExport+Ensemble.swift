import SPNumerics
import SPTUI

extension LogExport {
  /// An ensemble's a-priori figure: each model's median over the seeds at every logged step,
  /// drawn over its interquartile band and, lighter, its min–max band (the statistics over the
  /// seeds with a value there, as `SeedStatistics`: numpy's linear quartiles). With a
  /// `smoothing` weight above 0 the median and each band edge are smoothed (over the
  /// logarithms), the raw median faint behind.
  public static func ensembleAprioriFigure(_ log: SessionLogContents, smoothing: Double = 0)
    -> SVGPlot
  {
    let seeds = log.header.seeds?.count ?? 1
    var values: [Int: [Int: [Double]]] = [:]
    for (_, m) in log.metrics {
      if let v = m.apriori_error { values[m.index, default: [:]][m.step, default: []].append(v) }
    }
    let scale = ChartScale.log10(floor: 1e-17)
    func smoothed(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
      smoothing > 0 ? Smoothing.ema(p, weight: smoothing, scale: scale) : p
    }
    var series: [SVGPlot.Series] = []
    var raw: [SVGPlot.Series] = []
    var bands: [SVGPlot.Band] = []
    for entry in log.allModels {
      let color = SVGPlot.palette[entry.id % SVGPlot.palette.count]
      let rows = (values[entry.id] ?? [:]).sorted { $0.key < $1.key }.map {
        (x: Double($0.key), s: SeedStatistics($0.value))
      }
      func edge(_ value: (SeedStatistics) -> Double?) -> [(x: Double, y: Double)] {
        smoothed(rows.compactMap { r in value(r.s).map { (r.x, $0) } })
      }
      let median = rows.compactMap { r in r.s.median.map { (x: r.x, y: $0) } }
      let (extremes, quartiles) = spread(entry.label, color: color, edge: edge)
      bands += [extremes, quartiles]
      series.append(
        SVGPlot.Series(
          name: "\(entry.label) (median of \(seeds))", color: color, points: smoothed(median)))
      raw.append(SVGPlot.Series(name: entry.label, color: color, points: median, faint: true))
    }
    var plot = SVGPlot(
      title:
        "A-priori error ‖NN(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖ over \(EnsembleSummary.seedCount(seeds))",
      xLabel: "training step", yLabel: "a-priori error", series: series)
    // Light bands first, so every model's quartiles lie over every model's extremes.
    plot.bands =
      bands.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      + bands.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    plot.notes = ["bands: quartiles (darker),", "min–max (lighter)"]
    if smoothing > 0 {
      plot.series = raw + series
      plot.notes += [
        "smoothed: EMA \(Smoothing.text(smoothing)) in log space", "raw medians faint",
      ]
    }
    return plot
  }

  /// An ensemble's homogeneity figure: each model's median homogeneity error over λ across the
  /// seeds at each seed's last evaluation, over its interquartile and min–max bands.
  public static func ensembleHomogeneityFigure(_ log: SessionLogContents) -> SVGPlot {
    let lambdas = log.header.probe.lambdas
    let seeds = log.header.seeds?.count ?? 1
    // Each model's last evaluation of each seed.
    var last: [Int: [UInt64: SessionLog.Eval]] = [:]
    for (_, e) in log.evals { last[e.index, default: [:]][e.seed ?? 0] = e }
    var series: [SVGPlot.Series] = []
    var light: [SVGPlot.Band] = []
    var dark: [SVGPlot.Band] = []
    for entry in log.allModels {
      let color = SVGPlot.palette[entry.id % SVGPlot.palette.count]
      let evals = Array((last[entry.id] ?? [:]).values)
      let stats = lambdas.indices.map { j in
        SeedStatistics(
          evals.map { e in
            e.homogeneity_error.indices.contains(j) ? e.homogeneity_error[j] ?? .infinity : .nan
          })
      }
      func edge(_ value: (SeedStatistics) -> Double?) -> [(x: Double, y: Double)] {
        zip(lambdas, stats).compactMap { l, s in value(s).map { (l, $0) } }
      }
      let step = evals.map(\.step).max()
      let (extremes, quartiles) = spread(entry.label, color: color, edge: edge)
      light.append(extremes)
      dark.append(quartiles)
      series.append(
        SVGPlot.Series(
          name: entry.label + (step.map { " (step \($0), median of \(evals.count))" } ?? ""),
          color: color, points: edge(\.median)))
    }
    var plot = SVGPlot(
      title:
        "Relative homogeneity error ‖NN(λx) − λNN(x)‖ / ‖λNN(x)‖ over \(EnsembleSummary.seedCount(seeds))",
      xLabel: "λ", yLabel: "homogeneity error", series: series)
    plot.bands = light + dark
    plot.notes = ["bands: quartiles (darker),", "min–max (lighter)"]
    return plot
  }

  /// A model's two bands: min–max (light) and quartiles (darker), from `edge`'s curve of each
  /// statistic.
  public static func spread(
    _ label: String, color: String,
    edge: ((SeedStatistics) -> Double?) -> [(x: Double, y: Double)]
  ) -> (extremes: SVGPlot.Band, quartiles: SVGPlot.Band) {
    (
      SVGPlot.Band(
        name: "\(label) min–max", color: color, opacity: 0.12, lower: edge(\.min),
        upper: edge(\.max)),
      SVGPlot.Band(
        name: "\(label) quartiles", color: color, opacity: 0.3, lower: edge(\.q1),
        upper: edge(\.q3))
    )
  }
}
