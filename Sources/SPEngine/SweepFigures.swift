import Foundation

extension SweepSummary {
  /// The figures' titles and axis labels for each final figure.
  static let figureTitles = [
    "apriori_error": "A-priori error",
    "loss": "Training loss",
    "additivity_error": "Additivity error",
    "homogeneity_error_max": "Homogeneity error, maximum over λ",
  ]

  /// `name-vs-axis.svg` for each final figure and each axis with two values or more: for each
  /// model, at each value of the axis, the median over the seeds of every configuration with
  /// that value (over every value of the other axes: the title says which), over its
  /// interquartile and min–max bands; and when the other axes have at most `sliceLimit`
  /// combinations of values, `name-vs-axis-at-other=value….svg` for each, nothing pooled.
  /// Numeric axes whose values span a decade or more (all positive) are drawn on a log scale;
  /// other axes place their values evenly, labelled.
  public var figures: [(name: String, plot: SVGPlot)] {
    var out: [(String, SVGPlot)] = []
    for (a, axis) in plan.axes.enumerated() where axis.values.count >= 2 {
      let others = plan.axes.enumerated().filter { $0.offset != a && $0.element.values.count > 1 }
      for f in Self.figures.indices {
        out.append(figure(f, against: a, at: [:]))
      }
      // With other axes: one figure per combination of their values too (up to 12), where
      // nothing is pooled.
      let combinations = others.reduce(1) { $0 * $1.element.values.count }
      guard !others.isEmpty, combinations <= Self.sliceLimit else { continue }
      for k in 0..<combinations {
        var rest = k
        var fixed: [Int: String] = [:]
        for (index, other) in others.reversed() {
          fixed[index] = other.values[rest % other.values.count]
          rest /= other.values.count
        }
        for f in Self.figures.indices {
          out.append(figure(f, against: a, at: fixed))
        }
      }
    }
    return out
  }

  /// The most combinations of the other axes' values drawn as figures of their own.
  public static let sliceLimit = 12

  /// Final figure `f` against axis `a`, over the configurations whose other axes have the values
  /// in `fixed` (axis index → value); pooled over every other axis not in `fixed`.
  func figure(_ f: Int, against a: Int, at fixed: [Int: String]) -> (String, SVGPlot) {
    let axis = plan.axes[a]
    let figure = Self.figures[f]
    let numbers = axis.values.map { Double($0) }
    let numeric = numbers.allSatisfy { $0 != nil && $0!.isFinite }
    let xs = numbers.map { $0 ?? 0 }
    let logX = numeric && xs.allSatisfy { $0 > 0 } && (xs.max()! / xs.min()!) >= 10
    func position(_ k: Int) -> Double {
      numeric ? (logX ? log10(xs[k]) : xs[k]) : Double(k)
    }
    var series: [SVGPlot.Series] = []
    var light: [SVGPlot.Band] = []
    var dark: [SVGPlot.Band] = []
    for (m, model) in self.models.enumerated() {
      let color = SVGPlot.palette[m % SVGPlot.palette.count]
      var stats: [(x: Double, s: SeedStatistics)] = []
      for (k, value) in axis.values.enumerated() {
        let pooled = rows.filter { r in
          r.model == model && r.values[a] == value
            && fixed.allSatisfy { r.values[$0.key] == $0.value }
        }.flatMap { $0.perSeed[f] }
        if !pooled.isEmpty { stats.append((position(k), SeedStatistics(pooled))) }
      }
      func edge(_ v: (SeedStatistics) -> Double?) -> [(x: Double, y: Double)] {
        stats.compactMap { p in v(p.s).map { (p.x, $0) } }
      }
      let (extremes, quartiles) = LogExport.spread(model, color: color, edge: edge)
      light.append(extremes)
      dark.append(quartiles)
      series.append(
        SVGPlot.Series(name: "\(model) (median)", color: color, points: edge(\.median)))
    }
    let pooledOver = plan.axes.enumerated().filter {
      $0.offset != a && $0.element.values.count > 1 && fixed[$0.offset] == nil
    }.map(\.element.name)
    let at = fixed.keys.sorted().map { "\(plan.axes[$0].name) = \(fixed[$0]!)" }
    var title = "\(Self.figureTitles[figure] ?? figure) against \(axis.name)"
    if !at.isEmpty { title += ", " + at.joined(separator: ", ") }
    if !pooledOver.isEmpty { title += ", over every " + pooledOver.joined(separator: " and ") }
    var plot = SVGPlot(
      title: title, xLabel: axis.name + (logX ? " (log scale)" : ""), yLabel: figure,
      series: series)
    plot.bands = light + dark
    plot.xTickLabels = axis.values.indices.map { (position($0), axis.values[$0]) }
    plot.notes = ["median over seeds;", "bands: quartiles (darker),", "min–max (lighter)"]
    var name = "\(figure)-vs-\(Self.fileSafe(axis.name))"
    for k in fixed.keys.sorted() {
      name += "-at-\(Self.fileSafe(plan.axes[k].name))=\(Self.fileSafe(fixed[k]!))"
    }
    return (name + ".svg", plot)
  }

  static func fileSafe(_ s: String) -> String {
    String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
  }
}
