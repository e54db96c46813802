import Foundation

extension SweepSummary {
  /// The figures' titles and axis labels for each final figure.
  static let figureTitles = [
    "apriori_error": "A-priori error ‖NN(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖",
    "loss": "Training loss",
    "additivity_error": "Additivity error",
    "homogeneity_error_max": "Homogeneity error, maximum over λ",
  ]

  /// `name-vs-axis.svg` for each final figure and each axis with two values or more: for each
  /// model, at each value of the axis, the median over the seeds of every configuration with
  /// that value (over every value of the other axes: the title says which), over its
  /// interquartile and min–max bands. Numeric axes whose values span a decade or more (all
  /// positive) are drawn on a log scale; other axes place their values evenly, labelled.
  public var figures: [(name: String, plot: SVGPlot)] {
    var out: [(String, SVGPlot)] = []
    for (a, axis) in plan.axes.enumerated() where axis.values.count >= 2 {
      let numbers = axis.values.map { Double($0) }
      let numeric = numbers.allSatisfy { $0 != nil && $0!.isFinite }
      let xs = numbers.map { $0 ?? 0 }
      let logX =
        numeric && xs.allSatisfy { $0 > 0 } && (xs.max()! / xs.min()!) >= 10
      func position(_ k: Int) -> Double {
        numeric ? (logX ? log10(xs[k]) : xs[k]) : Double(k)
      }
      let models = rows.reduce(into: [String]()) {
        if !$0.contains($1.model) { $0.append($1.model) }
      }
      let others = plan.axes.enumerated().filter { $0.offset != a && $0.element.values.count > 1 }
      for (f, figure) in Self.figures.enumerated() {
        var series: [SVGPlot.Series] = []
        var light: [SVGPlot.Band] = []
        var dark: [SVGPlot.Band] = []
        for (m, model) in models.enumerated() {
          let color = SVGPlot.palette[m % SVGPlot.palette.count]
          var stats: [(x: Double, s: SeedStatistics)] = []
          for (k, value) in axis.values.enumerated() {
            let pooled = rows.filter { $0.model == model && $0.values[a] == value }
              .flatMap { $0.perSeed[f] }
            if !pooled.isEmpty { stats.append((position(k), SeedStatistics(pooled))) }
          }
          func edge(_ v: (SeedStatistics) -> Double?) -> [(x: Double, y: Double)] {
            stats.compactMap { p in v(p.s).map { (p.x, $0) } }
          }
          light.append(
            SVGPlot.Band(
              name: "\(model) min–max", color: color, opacity: 0.12, lower: edge(\.min),
              upper: edge(\.max)))
          dark.append(
            SVGPlot.Band(
              name: "\(model) quartiles", color: color, opacity: 0.3, lower: edge(\.q1),
              upper: edge(\.q3)))
          series.append(
            SVGPlot.Series(name: "\(model) (median)", color: color, points: edge(\.median)))
        }
        let over =
          others.isEmpty
          ? "" : ", over every " + others.map(\.element.name).joined(separator: " and ")
        var plot = SVGPlot(
          title: "\(Self.figureTitles[figure] ?? figure) against \(axis.name)\(over)",
          xLabel: axis.name + (logX ? " (log scale)" : ""), yLabel: figure, series: series)
        plot.bands = light + dark
        plot.xTickLabels = axis.values.indices.map { (position($0), axis.values[$0]) }
        plot.notes = ["median over seeds;", "bands: quartiles (darker),", "min–max (lighter)"]
        out.append(("\(figure)-vs-\(Self.fileSafe(axis.name)).svg", plot))
      }
    }
    return out
  }

  static func fileSafe(_ s: String) -> String {
    String(s.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
  }
}
