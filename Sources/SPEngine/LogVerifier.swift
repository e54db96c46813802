import SPNumerics

/// Re-runs a recorded session from its header and events and compares every recorded number
/// bit for bit: metric records, evaluation records and the end record's parameters.
public enum LogVerifier {
  /// The first number that came out differently.
  public struct Difference: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var record: String
    public var model: String?
    public var field: String
    public var logged: String
    public var recomputed: String
    public var description: String {
      "line \(line) (\(record) record\(model.map { ", model \($0)" } ?? "")), field \(field): "
        + "logged \(logged), recomputed \(recomputed)"
    }
  }

  /// What a verification found.
  public struct Report: Sendable {
    public var metricsChecked = 0
    public var evalsChecked = 0
    public var parametersChecked = 0
    public var difference: Difference?
    public var endChecked = false
  }

  /// How far a verification has come, for a progress line.
  public struct Progress: Sendable {
    /// Metric and evaluation records checked, of `records`.
    public var checked: Int
    public var records: Int
    /// The session step re-run so far, of `lastStep`.
    public var step: Int
    public var lastStep: Int
  }

  /// Steps re-run between two progress reports at most (a long gap between records, the end
  /// record after the last, still reports).
  static let progressSteps = 2_000

  /// Checks `log` by re-running it; with `limit`, only the records up to that session step
  /// (the part of a parent log a fork branched from; the end record only if it lies there).
  public static func verify(
    _ log: SessionLogContents, upTo limit: Int? = nil, progress: ((Progress) -> Void)? = nil
  ) -> Report {
    var report = Report()
    let records = log.metrics.count + log.evals.count
    func advance(_ worker: SessionWorker, to step: Int) {
      // Models are independent streams and events land at step boundaries, so re-running in
      // pieces gives the same bits as one chunk.
      while step > worker.step {
        worker.runChunk(min(progressSteps, step - worker.step))
        progress?(
          Progress(
            checked: report.metricsChecked + report.evalsChecked, records: records,
            step: worker.step, lastStep: log.lastStep))
      }
    }
    let h = log.header
    let worker = SessionWorker(settings: h.settings)
    let p = worker.problem
    func same(_ logged: Double?, _ value: Double) -> Bool {
      guard let logged else { return !value.isFinite }
      return logged.bitPattern == value.bitPattern
    }
    func text(_ v: Double?) -> String { v.map { "\($0)" } ?? "null" }
    // The header's problem must be the one the settings make.
    func headerCheck(_ field: String, _ logged: [Double], _ recomputed: [Double]) -> Bool {
      for (k, (a, b)) in zip(logged, recomputed).enumerated() where a.bitPattern != b.bitPattern {
        report.difference = Difference(
          line: 1, record: "header", model: nil, field: "\(field)[\(k)]", logged: "\(a)",
          recomputed: "\(b)")
        return false
      }
      if logged.count != recomputed.count {
        report.difference = Difference(
          line: 1, record: "header", model: nil, field: "\(field) length",
          logged: "\(logged.count)", recomputed: "\(recomputed.count)")
        return false
      }
      return true
    }
    func matrixCheck(_ field: String, _ logged: [[Double?]], _ recomputed: [Double], columns: Int)
      -> Bool
    {
      guard
        let (at, a, b) = Self.firstDifference(
          logged, recomputed, columns: columns, same: { same($0, $1) })
      else { return true }
      report.difference = Difference(
        line: 1, record: "header", model: nil, field: field + at, logged: a, recomputed: b)
      return false
    }
    guard matrixCheck("A", h.A.map { $0.map(Optional.some) }, p.A, columns: p.n),
      headerCheck("xvalid", h.xvalid, p.xvalid),
      headerCheck("probe.additivity_x", h.probe.additivity_x, p.probe.additivityX),
      headerCheck("probe.additivity_y", h.probe.additivity_y, p.probe.additivityY),
      headerCheck("probe.homogeneity_x", h.probe.homogeneity_x, p.probe.homogeneityX),
      headerCheck("probe.lambdas", h.probe.lambdas, p.probe.lambdas)
    else { return report }

    // Model number `index` of the re-run session, or nil with the difference noted. The reader
    // checked each record against the lineup of its line; the re-run session has that lineup
    // there, having applied the same events.
    func trainer(_ index: Int, line: Int, record: String, model: String) -> Trainer? {
      if let slot = worker.lineup.position(of: index) { return worker.slots[slot].trainer }
      report.difference = Difference(
        line: line, record: record, model: model, field: "index", logged: "\(index)",
        recomputed: "no such model")
      return nil
    }

    // Everything that happens at a step, in file order (prior events first).
    enum Item {
      case metric(Int, SessionLog.Metric)
      case eval(Int, SessionLog.Eval)
      case event(Int, SessionLog.Event)
    }
    var byStep: [Int: [(line: Int, item: Item)]] = [:]
    for e in h.prior_events { byStep[e.step, default: []].append((0, .event(0, e))) }
    for (l, m) in log.metrics { byStep[m.step, default: []].append((l, .metric(l, m))) }
    for (l, e) in log.evals { byStep[e.step, default: []].append((l, .eval(l, e))) }
    for (l, e) in log.events { byStep[e.step, default: []].append((l, .event(l, e))) }
    if let end = log.end { byStep[end.record.step, default: []] += [] }
    for step in byStep.keys { byStep[step]!.sort { $0.line < $1.line } }

    for step in byStep.keys.sorted() where step <= limit ?? .max {
      advance(worker, to: step)
      for (_, item) in byStep[step]! {
        switch item {
        case .event(_, let e):
          // The live session's own interpreter; only what changes training matters here.
          if let event = e.sessionEvent, event.changesTraining { worker.apply(event) }
        case .metric(let line, let m):
          guard let t = trainer(m.index, line: line, record: "metric", model: m.model) else {
            return report
          }
          for (field, logged, value) in [
            ("loss", m.loss, t.lastLoss), ("apriori_error", m.apriori_error, t.lastAprioriError),
          ] where !same(logged, value) {
            report.difference = Difference(
              line: line, record: "metric", model: m.model, field: field, logged: text(logged),
              recomputed: "\(value)")
            return report
          }
          if m.iteration != t.iteration {
            report.difference = Difference(
              line: line, record: "metric", model: m.model, field: "iteration",
              logged: "\(m.iteration)", recomputed: "\(t.iteration)")
            return report
          }
          report.metricsChecked += 1
        case .eval(let line, let e):
          guard let s = trainer(e.index, line: line, record: "eval", model: e.model)?.structure()
          else { return report }
          if !same(e.additivity_error, s.additivity) {
            report.difference = Difference(
              line: line, record: "eval", model: e.model, field: "additivity_error",
              logged: text(e.additivity_error), recomputed: "\(s.additivity)")
            return report
          }
          for (k, (a, b)) in zip(e.homogeneity_error, s.homogeneity).enumerated() where !same(a, b)
          {
            report.difference = Difference(
              line: line, record: "eval", model: e.model, field: "homogeneity_error[\(k)]",
              logged: text(a), recomputed: "\(b)")
            return report
          }
          report.evalsChecked += 1
        }
      }
    }
    guard let (line, end) = log.end, end.step <= limit ?? .max else { return report }
    advance(worker, to: end.step)
    for m in end.models {
      guard let t = trainer(m.index, line: line, record: "end", model: m.name) else {
        return report
      }
      let layout = t.architecture.layout
      let theta = t.parameters
      for name in m.parameter_order {
        guard let part = layout.part(named: name), let value = m.parameters[name] else {
          report.difference = Difference(
            line: line, record: "end", model: m.name, field: "parameters.\(name)",
            logged: "missing", recomputed: "present")
          return report
        }
        // Compared by the whole nested index (B1[1][2], not the flat position), rows and
        // lengths included, so a ragged matrix is named where it goes wrong.
        let rows: [[Double?]]
        switch value {
        case .vector(let v): rows = v.map { [$0] }
        case .matrix(let matrix) where !part.isVector: rows = matrix
        case .matrix:
          report.difference = Difference(
            line: line, record: "end", model: m.name, field: "parameters.\(name)",
            logged: "a matrix", recomputed: "a vector of \(part.count)")
          return report
        }
        if case .vector = value, !part.isVector {
          report.difference = Difference(
            line: line, record: "end", model: m.name, field: "parameters.\(name)",
            logged: "a vector", recomputed: "a \(part.rows)×\(part.columns) matrix")
          return report
        }
        let recomputed = Array(theta[part.offset..<(part.offset + part.count)])
        if let (at, a, b) = Self.firstDifference(
          rows, recomputed, columns: part.isVector ? 1 : part.columns, same: { same($0, $1) })
        {
          // A vector's index is one level: b1[3], not b1[3][0].
          let field =
            !part.isVector ? at : at == " rows" ? " length" : String(at.dropLast(3))
          report.difference = Difference(
            line: line, record: "end", model: m.name, field: "parameters.\(name)\(field)",
            logged: a, recomputed: b)
          return report
        }
        report.parametersChecked += part.count
      }
      for (field, logged, value) in [
        ("loss", m.loss, t.lastLoss), ("apriori_error", m.apriori_error, t.lastAprioriError),
        ("eta", Optional(m.eta), t.optimizer.eta),
      ] where !same(logged, value) {
        report.difference = Difference(
          line: line, record: "end", model: m.name, field: field, logged: text(logged),
          recomputed: "\(value)")
        return report
      }
    }
    report.endChecked = true
    return report
  }

  /// Whether `fork` branched from `parent` as its header says: the events that change training
  /// up to the fork's step must be the parent's, in order (the fork's own follow at that step).
  /// Nil when they are; otherwise the first that differs.
  public static func forkDifference(_ fork: SessionLogContents, parent: SessionLogContents)
    -> Difference?
  {
    guard let origin = fork.header.parent else { return nil }
    // The fork of an ensemble forks every seed of it.
    if fork.header.seeds != parent.header.seeds {
      func seeds(_ log: SessionLogContents) -> String {
        log.header.seeds.map { EnsembleSummary(seeds: $0, threads: 1).text } ?? "one session"
      }
      return Difference(
        line: 1, record: "header", model: nil, field: "seeds", logged: seeds(fork),
        recomputed: "the parent's: \(seeds(parent))")
    }
    func training(_ log: SessionLogContents) -> [(line: Int, step: Int, event: SessionEvent)] {
      (log.header.prior_events.map { (0, $0) } + log.events.map { ($0.line, $0.record) })
        .compactMap { line, e in
          guard let event = e.sessionEvent, event.changesTraining else { return nil }
          return (line, e.step, event)
        }
    }
    let expected = training(parent).filter { $0.step <= origin.step }
    let found = training(fork)
    for (k, want) in expected.enumerated() {
      let got = k < found.count ? found[k] : nil
      if let got, got.step == want.step, got.event == want.event { continue }
      return Difference(
        line: got.map { $0.line == 0 ? 1 : $0.line } ?? 1, record: "event", model: nil,
        field: "events up to the fork's step \(origin.step)",
        logged: got.map { "\($0.event.name) at step \($0.step)" } ?? "none",
        recomputed: "the parent's \(want.event.name) at step \(want.step) (line \(want.line))")
    }
    if let extra = found.dropFirst(expected.count).first(where: { $0.step < origin.step }) {
      return Difference(
        line: extra.line == 0 ? 1 : extra.line, record: "event", model: nil,
        field: "events up to the fork's step \(origin.step)",
        logged: "\(extra.event.name) at step \(extra.step)", recomputed: "none in the parent")
    }
    return nil
  }

  /// Where `logged` (rows) first differs from `recomputed` (row-major, `columns` a row): the
  /// whole nested index (`[1][0]`), or which length is wrong (`[2] length`, ` rows`), with
  /// both values as text; nil when they agree.
  static func firstDifference(
    _ logged: [[Double?]], _ recomputed: [Double], columns: Int,
    same: (Double?, Double) -> Bool
  ) -> (field: String, logged: String, recomputed: String)? {
    let rows = columns > 0 ? recomputed.count / columns : 0
    for (i, row) in logged.prefix(rows).enumerated() {
      for (j, value) in row.prefix(columns).enumerated()
      where !same(value, recomputed[i * columns + j]) {
        return ("[\(i)][\(j)]", value.map { "\($0)" } ?? "null", "\(recomputed[i * columns + j])")
      }
      if row.count != columns {
        return ("[\(i)] length", "\(row.count)", "\(columns)")
      }
    }
    if logged.count != rows { return (" rows", "\(logged.count)", "\(rows)") }
    return nil
  }

  /// The session rebuilt from a log up to `step` (default: its last step), for summaries.
  /// `progress` gets (step, last step) every `progressSteps` steps at most.
  /// `settings` (nil: the header's) may differ from the header's only in `iterations`.
  static func reconstruct(
    _ log: SessionLogContents, upTo limit: Int? = nil, settings: SessionSettings? = nil,
    progress: ((_ step: Int, _ last: Int) -> Void)? = nil
  ) -> SessionWorker {
    let worker = SessionWorker(settings: settings ?? log.header.settings)
    replay(log, into: worker, upTo: limit, progress: progress)
    return worker
  }

  /// Steps `engine` (a fresh session of the log's settings: one seed's, or an ensemble of the
  /// log's seeds) through the log's events that change training, up to `limit` (default: the
  /// log's last step). Chunks of at most `chunk` steps, each ending at an event's step;
  /// `progress` gets (step, last step) after each. Returns false, short of the step, once
  /// `stopped` (asked between chunks) says true.
  @discardableResult
  static func replay(
    _ log: SessionLogContents, into engine: any SessionEngine, upTo limit: Int? = nil,
    chunk: Int = progressSteps, progress: ((_ step: Int, _ last: Int) -> Void)? = nil,
    stopped: () -> Bool = { false }
  ) -> Bool {
    let events = log.header.prior_events + log.events.map(\.record)
    let last = limit ?? log.lastStep
    func advance(to step: Int) -> Bool {
      while step > engine.step {
        if stopped() { return false }
        engine.runChunk(min(max(1, chunk), step - engine.step))
        progress?(engine.step, last)
      }
      return true
    }
    for e in events where e.step <= last {
      guard advance(to: e.step) else { return false }
      if let event = e.sessionEvent, event.changesTraining { engine.apply(event) }
    }
    return advance(to: last)
  }

  /// The end-of-run result of a logged session (the table `sptop run` prints), recomputed from
  /// its header and events; steps per second from the log's own clock.
  public static func result(
    _ log: SessionLogContents, progress: ((_ step: Int, _ last: Int) -> Void)? = nil
  ) -> RunResult {
    let worker = reconstruct(log, progress: progress)
    var snapshot = worker.snapshot(forceStructure: true)
    snapshot.elapsed = log.duration
    for i in snapshot.models.indices {
      let steps = Double(snapshot.models[i].iteration)
      snapshot.models[i].stepsPerSecond = log.duration > 0 ? steps / log.duration : 0
    }
    return RunResult(worker: worker, snapshot: snapshot)
  }
}
