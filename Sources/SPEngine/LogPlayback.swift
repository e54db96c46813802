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
  /// Each model's records by its number (`Lineup.Entry.id`).
  fileprivate let metrics: [[SessionLog.Metric]]
  fileprivate let evals: [[SessionLog.Eval]]
  fileprivate let events: [PlayedEvent]
  /// Every distinct moment (elapsed seconds) at which a record was written, ascending.
  public let times: [Double]
  /// Each recorded session step with the last moment a record of it was written, ascending in
  /// both (a step's records all show once the clock reaches that moment).
  public let stepTimes: [(step: Int, time: Double)]
  /// How many session steps one ← / → moves: 1% of the log's steps, rounded up to a multiple
  /// of its metric cadence (`log_every`), at least one cadence.
  public let seekStep: Int
  /// Moments the recorded session was paused (from its pause/resume events), to take out of
  /// its rate: (from, to), to = +inf while it never resumed.
  fileprivate let pauses: [(from: Double, to: Double)]

  public init(_ log: SessionLogContents) {
    self.log = log
    // Every number a model had: those with records and those added before the recording.
    let n = max((log.allModels.map(\.id).max() ?? -1) + 1, log.lineup(atLine: 1).nextID)
    var m = Array(repeating: [SessionLog.Metric](), count: n)
    for (_, r) in log.metrics { m[r.index].append(r) }
    var e = Array(repeating: [SessionLog.Eval](), count: n)
    for (_, r) in log.evals { e[r.index].append(r) }
    metrics = m.map { Self.byTime($0, \.elapsed) }
    evals = e.map { Self.byTime($0, \.elapsed) }
    events = Self.byTime(
      log.header.prior_events.map { PlayedEvent(record: $0, prior: true) }
        + log.events.map { PlayedEvent(record: $0.record, prior: false) }, \.record.elapsed)
    var t = Set(log.metrics.map(\.record.elapsed))
    t.formUnion(log.evals.map(\.record.elapsed))
    t.formUnion(log.events.map(\.record.elapsed))
    if let end = log.end { t.insert(end.record.elapsed) }
    times = t.sorted()
    var last: [Int: Double] = [:]
    func note(_ step: Int, _ time: Double) { last[step] = max(last[step] ?? time, time) }
    for (_, r) in log.metrics { note(r.step, r.elapsed) }
    for (_, r) in log.evals { note(r.step, r.elapsed) }
    for (_, r) in log.events { note(r.step, r.elapsed) }
    // A step's moment is never before a later step's: a record written out of time order moves
    // its step's moment no earlier than those of the steps before it.
    var ordered: [(step: Int, time: Double)] = []
    for (step, time) in last.sorted(by: { $0.key < $1.key }) {
      ordered.append((step, max(time, ordered.last?.time ?? time)))
    }
    stepTimes = ordered
    let span = (ordered.last?.step ?? 0) - log.header.start_step
    let cadence = max(1, log.header.log_every)
    seekStep = max(cadence, (span + 99) / 100 + cadence - 1) / cadence * cadence
    var p: [(from: Double, to: Double)] = []
    for e in events.map(\.record) {
      if e.event == "pause", p.last.map({ $0.to.isFinite }) ?? true {
        p.append((e.elapsed, .infinity))
      } else if e.event == "resume", let open = p.last, !open.to.isFinite {
        p[p.count - 1].to = max(open.from, e.elapsed)
      }
    }
    pauses = p
  }

  /// The session step shown at `time`: the last step whose records have all been written by
  /// then (the log's start step before any).
  public func step(at time: Double) -> Int {
    var lo = 0
    var hi = stepTimes.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if stepTimes[mid].time <= time { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? log.header.start_step : stepTimes[lo - 1].step
  }

  /// The moment the replay shows step `target` (the first recorded step at or after it; the
  /// end of the log past the last one; 0 before the first).
  public func time(ofStep target: Int) -> Double {
    if target <= log.header.start_step { return 0 }
    return stepTimes.first { $0.step >= target }?.time ?? duration
  }

  /// Where ← / → take the replay from `time`: `seekStep` session steps back or forward.
  public func seek(from time: Double, by presses: Int) -> Double {
    let target = step(at: time) + presses * seekStep
    return min(duration, max(0, self.time(ofStep: target)))
  }

  /// Seconds the recorded session ran (not paused) up to `time`.
  public func runningSeconds(upTo time: Double) -> Double {
    var paused = 0.0
    for p in pauses where p.from < time { paused += min(p.to, time) - p.from }
    return max(0, time - paused)
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

  /// The session as it stood at `time` seconds into the recording, built from the start; a
  /// replay that moves through time keeps a `Cursor` instead.
  public func snapshot(at time: Double, playing: Bool, version: Int = 0) -> SessionSnapshot {
    var cursor = Cursor(self)
    return cursor.snapshot(at: time, playing: playing, version: version)
  }
}

/// An event of the log, and whether it came before the recording (the header's prior events).
private struct PlayedEvent: Sendable {
  var record: SessionLog.Event
  var prior: Bool
}

extension LogPlayback {
  /// The replay's state at one moment: each model's histories, latest evaluation, η, resets and
  /// η changes, and the index of the next record of each kind. Moving forward takes the records
  /// in between; moving back starts again from the beginning.
  public struct Cursor: Sendable {
    public let playback: LogPlayback
    /// The moment the state stands at; records at or before it are taken.
    public private(set) var time = -Double.infinity
    /// Every model of the log by number; those of `lineup` are shown.
    private var models: [Model]
    private var lineup: Lineup
    /// The lineup as the events before the recording change it, from the settings' own.
    private var priorLineup: Lineup
    private var nextEvent = 0
    private var step: Int
    /// The header's settings with the target and n the events set.
    private var settings: SessionSettings

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
      var switches: [ArchitectureSwitch] = []
      var settingChanges: [SettingChange] = []
      var problemChanges: [ProblemChange] = []
    }

    public init(_ playback: LogPlayback) {
      self.playback = playback
      let h = playback.log.header
      models = Array(repeating: Model(eta: h.settings.eta), count: playback.metrics.count)
      for (i, entry) in h.lineup.enumerated() { models[entry.index ?? i].eta = entry.eta }
      lineup = playback.log.lineup(atLine: 1)
      priorLineup = Lineup(architectures: h.settings.models)
      step = h.start_step
      settings = h.settings
    }

    /// Models in the lineup at the cursor's moment.
    public var modelCount: Int { lineup.count }

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
      while nextEvent < p.events.count, p.events[nextEvent].record.elapsed <= time {
        let e = p.events[nextEvent].record
        // Events name models by position in the lineup of their moment: the events before
        // the recording in the lineup they made (the header's is where they ended).
        let prior = p.events[nextEvent].prior
        nextEvent += 1
        step = max(step, e.step)
        guard let event = e.sessionEvent else { continue }
        let current = prior ? priorLineup : lineup
        let id = event.model.flatMap {
          current.entries.indices.contains($0) ? current.entries[$0].id : nil
        }
        switch event {
        case .setEta(_, let eta):
          guard let id, models.indices.contains(id) else { break }
          models[id].eta = eta
          models[id].etaChanges.append(e.step)
        case .reset:
          guard let id, models.indices.contains(id) else { break }
          models[id].resets.append(e.step)
        case .configure(let model, let setting):
          let ids = model == nil ? current.entries.map(\.id) : id.map { [$0] } ?? []
          for id in ids where models.indices.contains(id) {
            models[id].settingChanges.append(SettingChange(step: e.step, setting: setting))
            if setting.reinitializes { models[id].resets.append(e.step) }
          }
        case .setProblem(let target, let n):
          let change = ProblemChange(step: e.step, from: settings, target: target, n: n)
          settings.target = target
          settings.n = n
          for entry in current.entries where models.indices.contains(entry.id) {
            models[entry.id].problemChanges.append(change)
            models[entry.id].resets.append(e.step)
          }
        case .addModel, .removeModel, .replaceModel:
          let change = prior ? priorLineup.apply(event) : lineup.apply(event)
          switch change {
          case .added(let entry)? where models.indices.contains(entry.id):
            models[entry.id].eta = p.log.header.settings.eta
          case .replaced(_, let old, let new)? where models.indices.contains(new.id):
            models[new.id].eta = p.log.header.settings.eta
            models[new.id].resets.append(e.step)
            models[new.id].switches.append(
              ArchitectureSwitch(step: e.step, from: old.architecture, to: new.architecture))
          default: break
          }
        default: break
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
      let state: SessionState = atEnd ? .done : (playing ? .running : .paused)
      // The rate as the live dashboard shows it: over the last half second of the recording
      // while playing, else the mean over the time the recorded session ran.
      let rate: Double
      if state == .running {
        let from = max(0, time - 0.5)
        let seconds = p.runningSeconds(upTo: time) - p.runningSeconds(upTo: from)
        rate = seconds > 0 ? Double(p.step(at: time) - p.step(at: from)) / seconds : 0
      } else {
        let seconds = p.runningSeconds(upTo: time)
        rate = seconds > 0 ? Double(step - h.start_step) / seconds : 0
      }
      let config = settings.architectureConfig
      let shown = lineup.entries.map { entry -> ModelSnapshot in
        let i = entry.id
        let m = models[i]
        let endModel = atEnd ? p.log.end?.record.models.first { $0.index == i } : nil
        let structure = StructureMetrics(
          additivity: m.eval?.additivity_error ?? .nan,
          homogeneity: m.eval.map { $0.homogeneity_error.map { $0 ?? .infinity } }
            ?? Array(repeating: .nan, count: lambdas.count))
        let status: ModelStatus =
          endModel?.status == "diverged" ? .diverged : ModelStatus(session: state)
        // The header names the recorded lineup's formulas; a model added later has its
        // architecture's.
        let recorded = h.lineup.enumerated().first { k, e in
          (e.index ?? k) == i && e.architecture == entry.architecture
        }?.element
        let formula =
          recorded?.formula ?? ArchitectureRegistry.make(entry.architecture, config: config)?
          .formula ?? ""
        var model = ModelSnapshot(
          label: entry.label, architecture: entry.architecture, formula: formula,
          eta: m.eta, optimizer: recorded?.optimizer ?? h.settings.optimizer.rawValue,
          iteration: m.last?.iteration ?? 0,
          status: status, loss: m.last?.loss ?? .nan, aprioriError: m.last?.apriori_error ?? .nan,
          initialAprioriError: p.metrics[i].first?.apriori_error ?? .nan, structure: structure,
          lossHistory: m.loss, aprioriHistory: m.apriori, resets: m.resets, stepsPerSecond: 0,
          parameterCount: 0)
        model.etaChanges = m.etaChanges
        model.switches = m.switches
        model.settingChanges = m.settingChanges
        model.problemChanges = m.problemChanges
        model.id = i
        return model
      }
      var snapshot = SessionSnapshot(
        settings: settings, state: state, step: step, stepsPerSecond: rate, elapsed: time,
        models: shown, version: version, lambdas: lambdas)
      snapshot.replaySource = p.log.path
      snapshot.fork = p.log.header.parent
      return snapshot
    }
  }
}
