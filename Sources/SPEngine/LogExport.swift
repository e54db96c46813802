import Foundation
import SPTUI

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

  /// An ensemble's tidy CSV: `seed` first, then the columns of `csv`; one row per seed, model
  /// and logged step, then for each model and step the aggregate rows `median`, `q1`, `q3`
  /// (numpy's linear quartiles), `min` and `max` over the seeds with a finite value (empty where
  /// none; iteration and elapsed are the first seed's).
  /// `progress` gets the records written so far and the log's metric records, after each seed.
  public static func ensembleCSV(
    _ log: SessionLogContents, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
  ) -> String {
    guard let seeds = log.header.seeds else { return csv(log) }
    var done = 0
    var out =
      "seed,model,architecture,index,step,iteration,elapsed_seconds,loss,apriori_error,"
      + "additivity_error,homogeneity_error_max\n"
    var rows: [String: [[String]]] = [:]  // "index,step" → each seed's cells
    var order: [String] = []
    for seed in seeds {
      let one = csv(log.session(seed: seed)).split(separator: "\n").dropFirst()
      for line in one {
        out += "\(seed),\(line)\n"
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let key = cells[2] + "," + cells[3]
        if rows[key] == nil { order.append(key) }
        rows[key, default: []].append(cells)
      }
      done += one.count
      progress?(done, log.metrics.count)
    }
    func num(_ v: Double?) -> String { v.map { $0.description } ?? "" }
    let stats: [(String, (SeedStatistics) -> Double?)] = [
      ("median", \.median), ("q1", \.q1), ("q3", \.q3), ("min", \.min), ("max", \.max),
    ]
    for key in order {
      let group = rows[key]!
      let first = group[0]
      let columns = (6...9).map { c in SeedStatistics(group.map { Double($0[c]) ?? .nan }) }
      for (name, pick) in stats {
        out += "\(name),\(first[0]),\(first[1]),\(first[2]),\(first[3]),\(first[4]),\(first[5]),"
        out += columns.map { num(pick($0)) }.joined(separator: ",") + "\n"
      }
    }
    return out
  }

  /// One row per event of the log, the events before the recording first: `step`,
  /// `elapsed_seconds`, `event` (its name), `model` and `index` (the model it concerns: its
  /// label and number in the lineup of that moment; empty for every model or none), `value`
  /// (η, the architecture, the setting as `name=value`, or the session's new target and n as
  /// `target=skew n=8`).
  public static func eventsCSV(_ log: SessionLogContents) -> String {
    var out = "step,elapsed_seconds,event,model,index,value\n"
    // Before the recording: the settings' lineup as the prior events change it; after, the
    // lineup the reader followed, as it stood before each event.
    var prior = Lineup(architectures: log.header.settings.models)
    let events =
      log.header.prior_events.map { (line: 0, record: $0) }
      + log.events.map { (line: $0.line, record: $0.record) }
    for (line, e) in events {
      let lineup = line == 0 ? prior : log.lineup(atLine: line - 1)
      let event = e.sessionEvent
      let entry = event?.model.flatMap {
        lineup.entries.indices.contains($0) ? lineup.entries[$0] : nil
      }
      let value: String
      switch event {
      case .setEta(_, let eta)?: value = "\(eta)"
      case .addModel(let a)?, .replaceModel(_, let a)?: value = a
      case .configure(_, let setting)?: value = setting.keyValue
      case .setProblem(let target, let n)?: value = ProblemChange.keyValue(target: target, n: n)
      default: value = ""
      }
      out += "\(e.step),\(e.elapsed),\(e.event),\(entry?.label ?? ""),"
      out += "\(entry.map { "\($0.id)" } ?? ""),\(value)\n"
      if line == 0, let event { _ = prior.apply(event) }
    }
    return out
  }

  /// The a-priori error of every model over the session's steps. With a `smoothing` weight
  /// above 0 each model's curve is its debiased exponential moving average over the logged
  /// records (`Smoothing`, over the logarithms: the y axis is logarithmic), its raw values
  /// drawn faint behind it, and the legend says so.
  public static func aprioriFigure(_ log: SessionLogContents, smoothing: Double = 0) -> SVGPlot {
    var series = log.allModels.map { entry in
      SVGPlot.Series(
        name: entry.label, color: SVGPlot.palette[entry.id % SVGPlot.palette.count],
        points: log.metrics.filter { $0.record.index == entry.id }.compactMap { m in
          m.record.apriori_error.map { (Double(m.record.step), $0) }
        })
    }
    var plot = SVGPlot(
      title: "A-priori error ‖NN(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖", xLabel: "training step",
      yLabel: "a-priori error", series: series)
    guard smoothing > 0 else { return plot }
    let scale = ChartScale.log10(floor: plot.floor)
    let raw = series.map {
      SVGPlot.Series(name: $0.name, color: $0.color, points: $0.points, faint: true)
    }
    for k in series.indices {
      series[k].points = Smoothing.ema(series[k].points, weight: smoothing, scale: scale)
    }
    plot.series = raw + series
    plot.notes = ["smoothed: EMA \(Smoothing.text(smoothing)) in log space", "raw values faint"]
    return plot
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
