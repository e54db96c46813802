import SPNumerics

/// Snapshots of a recorded session at any moment of its own clock, so the dashboard can replay
/// it: histories up to that moment, the latest evaluation, η and resets from the events.
public struct LogPlayback: Sendable {
  public let log: SessionLogContents
  private let metrics: [[SessionLog.Metric]]
  private let evals: [[SessionLog.Eval]]
  private let events: [SessionLog.Event]
  /// Every distinct moment (elapsed seconds) at which a record was written, ascending.
  public let times: [Double]

  public init(_ log: SessionLogContents) {
    self.log = log
    let n = log.header.lineup.count
    var m = Array(repeating: [SessionLog.Metric](), count: n)
    for (_, r) in log.metrics { m[r.index].append(r) }
    var e = Array(repeating: [SessionLog.Eval](), count: n)
    for (_, r) in log.evals { e[r.index].append(r) }
    metrics = m
    evals = e
    events = log.header.prior_events + log.events.map(\.record)
    var t = Set(log.metrics.map(\.record.elapsed))
    t.formUnion(log.evals.map(\.record.elapsed))
    t.formUnion(log.events.map(\.record.elapsed))
    if let end = log.end { t.insert(end.record.elapsed) }
    times = t.sorted()
  }

  public var duration: Double { times.last ?? 0 }

  /// The moment before / after `time` at which something was recorded.
  public func previousTime(before time: Double) -> Double {
    times.last { $0 < time } ?? (times.first ?? 0)
  }

  public func nextTime(after time: Double) -> Double {
    times.first { $0 > time } ?? duration
  }

  /// The session as it stood at `time` seconds into the recording.
  public func snapshot(at time: Double, playing: Bool, version: Int = 0) -> SessionSnapshot {
    let h = log.header
    let lambdas = h.probe.lambdas
    var step = h.start_step
    let atEnd = time >= duration
    let models = h.lineup.enumerated().map { i, entry -> ModelSnapshot in
      var loss = History()
      var apriori = History()
      var last: SessionLog.Metric?
      for r in metrics[i] where r.elapsed <= time {
        if let v = r.loss { loss.append(iteration: r.step, value: v) }
        if let v = r.apriori_error { apriori.append(iteration: r.step, value: v) }
        last = r
      }
      let eval = evals[i].last { $0.elapsed <= time }
      let shown = events.filter { $0.elapsed <= time && $0.model == i }
      var eta = entry.eta
      for e in shown where e.event == "eta" { eta = e.eta ?? eta }
      step = max(step, last?.step ?? 0, eval?.step ?? 0)
      let endModel = atEnd ? log.end?.record.models[i] : nil
      let structure = StructureMetrics(
        additivity: eval?.additivity_error ?? .nan,
        homogeneity: eval.map { $0.homogeneity_error.map { $0 ?? .infinity } }
          ?? Array(repeating: .nan, count: lambdas.count))
      let status: ModelStatus =
        endModel?.status == "diverged" ? .diverged : (atEnd && log.end != nil ? .done : .training)
      return ModelSnapshot(
        label: entry.name, architecture: entry.architecture, formula: entry.formula, eta: eta,
        optimizer: entry.optimizer, iteration: last?.iteration ?? 0, status: status,
        loss: last?.loss ?? .nan, aprioriError: last?.apriori_error ?? .nan,
        initialAprioriError: metrics[i].first?.apriori_error ?? .nan, structure: structure,
        lossHistory: loss, aprioriHistory: apriori,
        resets: shown.filter { $0.event == "reset" }.map(\.step),
        stepsPerSecond: 0, parameterCount: 0)
    }
    for e in events where e.elapsed <= time { step = max(step, e.step) }
    var snapshot = SessionSnapshot(
      settings: h.settings, state: atEnd ? .done : (playing ? .running : .paused), step: step,
      stepsPerSecond: time > 0 ? Double(step - h.start_step) / time : 0, elapsed: time,
      models: models, version: version, lambdas: lambdas)
    for i in snapshot.models.indices {
      snapshot.models[i].etaChanges = events.filter {
        $0.elapsed <= time && $0.model == i && $0.event == "eta"
      }.map(\.step)
    }
    snapshot.replaySource = log.path
    return snapshot
  }
}
