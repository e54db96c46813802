import SPNumerics

/// Snapshots of a recorded session at any moment of its own clock, so the dashboard can replay
/// it: histories up to that moment, the latest evaluation, η and resets from the events.
///
/// A record shows once the replay clock reaches its `elapsed` time. Records are taken in that
/// order (file order among equal times, which is file order throughout for a log sptop wrote),
/// and a `Cursor` carries the state forward as the clock advances, so a frame costs the records
/// since the last frame, not every record up to the moment.
public struct LogPlayback: Sendable {
  public let log: SessionLogContents
  fileprivate let metrics: [[SessionLog.Metric]]
  fileprivate let evals: [[SessionLog.Eval]]
  fileprivate let events: [SessionLog.Event]
  /// Every distinct moment (elapsed seconds) at which a record was written, ascending.
  public let times: [Double]

  public init(_ log: SessionLogContents) {
    self.log = log
    let n = log.header.lineup.count
    var m = Array(repeating: [SessionLog.Metric](), count: n)
    for (_, r) in log.metrics { m[r.index].append(r) }
    var e = Array(repeating: [SessionLog.Eval](), count: n)
    for (_, r) in log.evals { e[r.index].append(r) }
    metrics = m.map { Self.byTime($0, \.elapsed) }
    evals = e.map { Self.byTime($0, \.elapsed) }
    events = Self.byTime(log.header.prior_events + log.events.map(\.record), \.elapsed)
    var t = Set(log.metrics.map(\.record.elapsed))
    t.formUnion(log.evals.map(\.record.elapsed))
    t.formUnion(log.events.map(\.record.elapsed))
    if let end = log.end { t.insert(end.record.elapsed) }
    times = t.sorted()
  }

  /// `records` in ascending `elapsed`, those at one time in their order (a stable sort; already
  /// sorted, as every log sptop writes is, costs one pass).
  private static func byTime<R>(_ records: [R], _ elapsed: KeyPath<R, Double>) -> [R] {
    let inOrder = zip(records, records.dropFirst()).allSatisfy { a, b in
      a[keyPath: elapsed] <= b[keyPath: elapsed]
    }
    if inOrder { return records }
    return records.enumerated().sorted {
      ($0.element[keyPath: elapsed], $0.offset) < ($1.element[keyPath: elapsed], $1.offset)
    }.map(\.element)
  }

  public var duration: Double { times.last ?? 0 }

  /// The moment before / after `time` at which something was recorded.
  public func previousTime(before time: Double) -> Double {
    times.last { $0 < time } ?? (times.first ?? 0)
  }

  public func nextTime(after time: Double) -> Double {
    times.first { $0 > time } ?? duration
  }

  /// The session as it stood at `time` seconds into the recording, built from the start; a
  /// replay that moves through time keeps a `Cursor` instead.
  public func snapshot(at time: Double, playing: Bool, version: Int = 0) -> SessionSnapshot {
    var cursor = Cursor(self)
    return cursor.snapshot(at: time, playing: playing, version: version)
  }
}

extension LogPlayback {
  /// The replay's state at one moment: each model's histories, latest evaluation, η, resets and
  /// η changes, and the index of the next record of each kind. Moving forward takes the records
  /// in between; moving back starts again from the beginning.
  public struct Cursor: Sendable {
    public let playback: LogPlayback
    /// The moment the state stands at; records at or before it are taken.
    public private(set) var time = -Double.infinity
    private var models: [Model]
    private var nextEvent = 0
    private var step: Int

    private struct Model: Sendable {
      var nextMetric = 0
      var nextEval = 0
      var loss = History()
      var apriori = History()
      var last: SessionLog.Metric?
      var eval: SessionLog.Eval?
      var eta: Double
      var resets: [Int] = []
      var etaChanges: [Int] = []
    }

    public init(_ playback: LogPlayback) {
      self.playback = playback
      models = playback.log.header.lineup.map { Model(eta: $0.eta) }
      step = playback.log.header.start_step
    }

    /// Takes every record up to `time` (from the beginning if `time` is earlier than now).
    public mutating func move(to time: Double) {
      if time < self.time { self = Cursor(playback) }
      self.time = time
      let p = playback
      for i in models.indices {
        let metrics = p.metrics[i]
        while models[i].nextMetric < metrics.count, metrics[models[i].nextMetric].elapsed <= time {
          let r = metrics[models[i].nextMetric]
          if let v = r.loss { models[i].loss.append(iteration: r.step, value: v) }
          if let v = r.apriori_error { models[i].apriori.append(iteration: r.step, value: v) }
          models[i].last = r
          models[i].nextMetric += 1
          step = max(step, r.step)
        }
        let evals = p.evals[i]
        while models[i].nextEval < evals.count, evals[models[i].nextEval].elapsed <= time {
          models[i].eval = evals[models[i].nextEval]
          models[i].nextEval += 1
          step = max(step, models[i].eval?.step ?? 0)
        }
      }
      while nextEvent < p.events.count, p.events[nextEvent].elapsed <= time {
        let e = p.events[nextEvent]
        nextEvent += 1
        step = max(step, e.step)
        guard let i = e.model, models.indices.contains(i) else { continue }
        if e.event == "eta" {
          models[i].eta = e.eta ?? models[i].eta
          models[i].etaChanges.append(e.step)
        } else if e.event == "reset" {
          models[i].resets.append(e.step)
        }
      }
    }

    /// The session as it stood at `time`: `move(to:)`, then the snapshot of the state.
    public mutating func snapshot(at time: Double, playing: Bool, version: Int = 0)
      -> SessionSnapshot
    {
      move(to: time)
      let p = playback
      let h = p.log.header
      let lambdas = h.probe.lambdas
      let atEnd = time >= p.duration
      let shown = h.lineup.enumerated().map { i, entry -> ModelSnapshot in
        let m = models[i]
        let endModel = atEnd ? p.log.end?.record.models[i] : nil
        let structure = StructureMetrics(
          additivity: m.eval?.additivity_error ?? .nan,
          homogeneity: m.eval.map { $0.homogeneity_error.map { $0 ?? .infinity } }
            ?? Array(repeating: .nan, count: lambdas.count))
        let status: ModelStatus =
          endModel?.status == "diverged"
          ? .diverged : (atEnd && p.log.end != nil ? .done : .training)
        var model = ModelSnapshot(
          label: entry.name, architecture: entry.architecture, formula: entry.formula,
          eta: m.eta, optimizer: entry.optimizer, iteration: m.last?.iteration ?? 0,
          status: status, loss: m.last?.loss ?? .nan, aprioriError: m.last?.apriori_error ?? .nan,
          initialAprioriError: p.metrics[i].first?.apriori_error ?? .nan, structure: structure,
          lossHistory: m.loss, aprioriHistory: m.apriori, resets: m.resets, stepsPerSecond: 0,
          parameterCount: 0)
        model.etaChanges = m.etaChanges
        return model
      }
      var snapshot = SessionSnapshot(
        settings: h.settings, state: atEnd ? .done : (playing ? .running : .paused), step: step,
        stepsPerSecond: time > 0 ? Double(step - h.start_step) / time : 0, elapsed: time,
        models: shown, version: version, lambdas: lambdas)
      snapshot.replaySource = p.log.path
      return snapshot
    }
  }
}
