import Foundation

/// Turns a session log into files for analysis: a tidy CSV, and the seed's two figures as SVG.
public enum LogExport {
  /// One row per model and logged step; structure errors where an evaluation exists at that
  /// step, empty otherwise; non-finite values empty (pandas reads them as NaN).
  public static func csv(_ log: SessionLogContents) -> String {
    var evals: [Int: [Int: SessionLog.Eval]] = [:]
    for (_, e) in log.evals { evals[e.index, default: [:]][e.step] = e }
    func num(_ v: Double?) -> String { v.map { $0.isFinite ? $0.description : "" } ?? "" }
    var out =
      "model,architecture,index,step,iteration,elapsed_seconds,loss,apriori_error,"
      + "additivity_error,homogeneity_error_max\n"
    // A model's architecture is the one of its record's moment (a replaced model changes it).
    for (line, m) in log.metrics.sorted(by: {
      ($0.record.index, $0.record.step) < ($1.record.index, $1.record.step)
    }) {
      let e = evals[m.index]?[m.step]
      let lineup = log.lineup(atLine: line)
      let architecture = lineup.position(of: m.index).map { lineup.entries[$0].architecture } ?? ""
      out += "\(m.model),\(architecture),\(m.index),\(m.step),\(m.iteration),"
      out += "\(num(m.elapsed)),\(num(m.loss)),\(num(m.apriori_error)),"
      out += "\(num(e?.additivity_error)),\(num(e?.homogeneity_error_max))\n"
    }
    return out
  }

  /// The a-priori error of every model over the session's steps.
  public static func aprioriFigure(_ log: SessionLogContents) -> SVGPlot {
    let series = log.allModels.map { entry in
      SVGPlot.Series(
        name: entry.label, color: SVGPlot.palette[entry.id % SVGPlot.palette.count],
        points: log.metrics.filter { $0.record.index == entry.id }.compactMap { m in
          m.record.apriori_error.map { (Double(m.record.step), $0) }
        })
    }
    return SVGPlot(
      title: "A-priori error ‖NN(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖", xLabel: "training step",
      yLabel: "a-priori error", series: series)
  }

  /// The homogeneity error over λ of every model at its last evaluation.
  public static func homogeneityFigure(_ log: SessionLogContents) -> SVGPlot {
    let lambdas = log.header.probe.lambdas
    let series = log.allModels.map { entry in
      let last = log.evals.last { $0.record.index == entry.id }?.record
      return SVGPlot.Series(
        name: (last?.model ?? entry.label) + (last.map { " (step \($0.step))" } ?? ""),
        color: SVGPlot.palette[entry.id % SVGPlot.palette.count],
        points: last.map { e in zip(lambdas, e.homogeneity_error).map { ($0, $1 ?? .infinity) } }
          ?? [])
    }
    return SVGPlot(
      title: "Relative homogeneity error ‖NN(λx) − λNN(x)‖ / ‖λNN(x)‖", xLabel: "λ",
      yLabel: "homogeneity error", series: series)
  }
}
