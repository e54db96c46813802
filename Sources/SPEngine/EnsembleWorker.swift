import Dispatch
import Foundation
import SPNumerics

/// The training side of a live ensemble (`sptop --seeds`): one `SessionWorker` per seed — each
/// exactly the session `--seed s` runs alone — stepped together chunk by chunk, the seeds
/// spread over threads that each take the next seed not yet stepped, so which thread steps a
/// seed never changes its numbers. Every command goes to every seed (the lineups stay the
/// same, so a key acts on the focused model of every seed); the snapshot is the first seed's
/// with each model's figures replaced by their median over the seeds, and the seeds' spread
/// in `ModelSnapshot.ensemble`. Lives on the session's queue only.
final class EnsembleWorker: SessionEngine {
  let settings: SessionSettings
  let seeds: [UInt64]
  let threads: Int
  let members: [SessionWorker]
  var chunk = 16
  var pace: Pace?
  var stopped = false
  var endReason: (reason: String, signal: Int32?)?
  /// Why the last command was refused here (recording), shown by the dashboard.
  var commandMessage: String?
  /// Median, quartiles and extremes of each model's loss and a-priori error over the seeds,
  /// by model number: at every step for a model the lane engine trains, else at every chunk's
  /// end (see `record`).
  var tracks: [Int: Track] = [:]
  /// When the seeds' structure was last measured, what that cost, and whether the last full
  /// snapshot measured it: the measurement has its budget (about 5%), the rest of a full
  /// snapshot its own, so that the rows need not wait for the structure (with 1000 seeds it
  /// takes most of a full snapshot's time).
  var lastStructureTime = -Double.infinity
  var structureCost = 0.0
  var measuredStructure = false
  /// Counts the moments a seed's structure may have changed — a measurement, a command, an
  /// event — so that each model's structure over the seeds (`structureSpreads`, by model
  /// number) is computed again only then (or when a seed diverges): with a thousand seeds
  /// it took most of a full snapshot's time.
  var structureGeneration = 0
  var structureSpreads: [Int: StructureSpread] = [:]
  /// Each model's median waterfall rows computed so far, by model number and step (a row's
  /// median is computed once, when every seed has it).
  var waterfallRows: [Int: [Int: [Double]]] = [:]
  /// The last full snapshot, when it was made and what it cost: a full one (every seed's
  /// snapshot and the medians over them) is made at most every 20× its cost, the structure's
  /// measurement not counted, so it takes at most about 5% of the time however many seeds;
  /// in between, the last one with the state, the clock and the rate brought up to date. Its
  /// step stays the one its rows were taken at: the header's step never runs ahead of the
  /// figures under it.
  var lastFull: SessionSnapshot?
  /// The recording: every seed's metric, evaluation and end entries, the shared events.
  var recorder: SessionRecorder?
  var recordingMessage: String?
  /// Events of the first seed's session (every seed's are the same) already written.
  var eventsWritten = 0
  var lastFullTime = -Double.infinity
  var fullCost = 0.0
  /// The ensemble's session steps per second while it runs, sampled by every snapshot, quick
  /// or full (the seeds step together): a full snapshot alone came too seldom with many seeds,
  /// and the header said 0 steps/s for the first seconds.
  var rate = StepRate()

  /// The spread of one figure over the seeds as training went on.
  struct Track {
    var loss = BandHistory()
    var apriori = BandHistory()
  }

  init(settings: SessionSettings, seeds: [UInt64], threads: Int) {
    self.settings = settings
    self.seeds = seeds
    self.threads = max(1, min(threads, seeds.count))
    var members: [SessionWorker] = []
    members.reserveCapacity(seeds.count)
    for s in seeds {
      var own = settings
      own.seed = s
      let w = SessionWorker(settings: own)
      // The rollout view shows the first seed's flows; the others skip that work.
      w.rolloutEnabled = members.isEmpty
      w.keepsHistories = members.count < ModelEnsemble.tracedSeeds
      w.keepsWaterfall = members.isEmpty
      members.append(w)
    }
    self.members = members
    record()
  }

  /// Longer chunks than one session's: each loads and unloads the seeds' lanes, a cost that
  /// more steps a chunk share; a key still acts within about a frame at the default 30 frames
  /// a second (a chunk doubles its steps under 16.5 ms, halves them over 33 ms). The bands
  /// take a point at every step whatever the chunk (`record`).
  var chunkSeconds: ClosedRange<Double> { 0.0165...0.033 }
  /// The first seed's session: its lineup, settings and events are every seed's.
  var lead: SessionWorker { members[0] }
  /// Every seed's session is the fork of its own seed's session in the parent log.
  var forkedFrom: SessionLog.Parent? {
    get { lead.forkedFrom }
    set { for m in members { m.forkedFrom = newValue } }
  }
  var step: Int { lead.step }
  var isDone: Bool { members.allSatisfy(\.isDone) }
  var paused: Bool { lead.paused }
  var pendingSteps: Int {
    get { lead.pendingSteps }
    set { for m in members { m.pendingSteps = newValue } }
  }

  func apply(_ command: SessionCommand) {
    structureGeneration += 1
    switch command {
    case .startRecording(let file, let logEvery, let evalEvery):
      startRecording(file, logEvery: logEvery, evalEvery: evalEvery)
    case .stopRecording: stopRecording(reason: "stopped", signal: nil)
    case .setPace, .scalePace, .togglePaceMax: _ = pace.apply(command)
    case .stop, .terminate: _ = end(command)
    default:
      for m in members { m.apply(command) }
      commandMessage = lead.commandMessage
      if command.changesLineup { record() }
    }
    writeEvents()
  }

  @discardableResult
  func apply(_ event: SessionEvent) -> Bool {
    structureGeneration += 1
    var acted = false
    for m in members where m.apply(event) { acted = true }
    if event.changesLineup { record() }
    writeEvents()
    return acted
  }

  /// Chunks end at every metric and evaluation step of a recording, where the seeds' entries
  /// are written.
  func chunkLimit(_ k: Int) -> Int {
    guard let r = recorder else { return k }
    let metric = (step / r.logEvery + 1) * r.logEvery
    let eval = (step / r.evalEvery + 1) * r.evalEvery
    return max(1, min(k, metric - step, eval - step))
  }

  // MARK: Recording (the format: SessionLog, with `seeds` in the header and a `seed` in every
  // metric, evaluation and end entry)

  func startRecording(_ file: LogFile, logEvery: Int, evalEvery: Int) {
    if recorder != nil { stopRecording(reason: "stopped", signal: nil) }
    let r = SessionRecorder(file: file, logEvery: logEvery, evalEvery: evalEvery)
    recorder = r
    recordingMessage = nil
    var header = lead.header(startStep: step, logEvery: r.logEvery, evalEvery: r.evalEvery)
    header.seeds = seeds
    write(header)
    eventsWritten = lead.events.count
    lead.note(.recordStart)
    writeEvents()
    recordMetrics(all: true)
    recordEvals()
    r.flush()
  }

  func stopRecording(reason: String, signal: Int32?) {
    guard let r = recorder else { return }
    lead.note(reason == "stopped" ? .recordStop : .end)
    writeEvents()
    var end = lead.endRecord(reason: reason, signal: signal)
    end.models = zip(seeds, members).flatMap { seed, m in
      m.endRecord(reason: reason, signal: signal).models.map { e in
        var e = e
        e.seed = seed
        return e
      }
    }
    write(end)
    r.close()
    if let failure = r.failure { recordingMessage = failure }
    recorder = nil
  }

  func serviceRecorder(now: Double) {
    if let failure = recorder?.service(now: now) {
      recordingMessage = failure
      recorder = nil
    }
  }

  func write(_ record: some Encodable) { recorder?.append(record: record) }

  /// The events the seeds applied since the last call (the first seed's: all are the same).
  func writeEvents() {
    let events = lead.events
    guard recorder != nil else {
      eventsWritten = events.count
      return
    }
    for e in events.dropFirst(eventsWritten) { write(e) }
    eventsWritten = events.count
  }

  /// Every seed's metric entries at the current step: of each model still training (`all`:
  /// every model, as at the start of a recording).
  func recordMetrics(all: Bool = false) {
    guard let r = recorder else { return }
    let elapsed = lead.elapsedNow
    for (seed, m) in zip(seeds, members) {
      for slot in m.slots where all || !slot.trainer.diverged {
        let t = slot.trainer
        r.append(
          SessionLog.metricLine(
            model: slot.label, index: slot.id, step: step, iteration: t.iteration,
            loss: t.lastLoss, apriori: t.lastAprioriError, elapsed: elapsed, seed: seed))
      }
    }
  }

  /// Every seed's evaluation entries at the current step: measured and written out on the
  /// threads, seed by seed, then appended in the seeds' order.
  func recordEvals() {
    guard let r = recorder else { return }
    let elapsed = lead.elapsedNow
    var lines = [[String]](repeating: [], count: members.count)
    lines.withUnsafeMutableBufferPointer { buffer in
      let out = Unchecked(buffer)
      forEachMember { k, m in
        out.value[k] = m.slots.map { slot in
          var e = m.evalRecord(slot, elapsed: elapsed).0
          e.seed = seeds[k]
          return SessionLog.evalLine(e)
        }
      }
    }
    for seedLines in lines { for line in seedLines { r.append(line) } }
  }

  /// Each seed's result as `sptop run` reports one session (for `run --seeds --record`).
  func memberResults() -> [RunResult] {
    members.map { RunResult(worker: $0, snapshot: $0.snapshot(forceStructure: true)) }
  }
  func restartClocks() { for m in members { m.restartClocks() } }
  func result(_ final: SessionSnapshot) -> RunResult? { nil }

  /// `k` session steps of every seed, spread over the threads — the models the lane engine
  /// takes with their seeds side by side, the others seed by seed; then each model's spread.
  func runChunk(_ k: Int) {
    let lanes = SessionWorker.laneSteps(k, members: members, threads: threads)
    let figures = laneFigures(lanes)
    let first = step
    forEachMember { j, m in m.runChunk(k, lanes: lanes[j]) }
    record(figures, from: first, steps: k)
    if let r = recorder {
      if step % r.logEvery == 0 { recordMetrics() }
      if step % r.evalEvery == 0 { recordEvals() }
    }
  }

  /// Runs `body` once for every seed's session on up to `threads` threads, each taking the
  /// next seed not yet taken; returns when all are done.
  func forEachMember(_ body: (Int, SessionWorker) -> Void) {
    let members = Unchecked(self.members)
    withoutActuallyEscaping(body) { body in
      // Each call touches its own seed's session only.
      let work = Unchecked(body)
      Parallel.forEach(members.value.count, threads: threads) { k in
        work.value(k, members.value[k])
        return true
      }
    }
  }

  /// The models (by slot id) whose every seed the lane engine trained in the chunk just run,
  /// or had diverged before it: each seed's steps, nil for a diverged one. Taken before the
  /// seeds' sessions run their part of the chunk (which may step the others).
  func laneFigures(_ lanes: [[Int: LaneSteps]]) -> [Int: [LaneSteps?]] {
    var out: [Int: [LaneSteps?]] = [:]
    guard lanes.count == members.count else { return out }
    for (i, slot) in lead.slots.enumerated() {
      var steps: [LaneSteps?] = []
      steps.reserveCapacity(members.count)
      for (m, l) in zip(members, lanes) {
        guard i < m.slots.count, m.slots[i].id == slot.id else { break }
        if let s = l[i] {
          steps.append(s)
        } else if m.slots[i].trainer.diverged {
          steps.append(nil)
        } else {
          break
        }
      }
      if steps.count == members.count { out[slot.id] = steps }
    }
    return out
  }

  /// Appends every model's median, quartiles and extremes over the seeds: for a model in
  /// `figures` (see `laneFigures`) at each of the `k` steps after step `first`, from each
  /// step's figures; for the others at the current step. So the bands of the lane engine's
  /// models have a point at every step, however long the chunks.
  func record(_ figures: [Int: [LaneSteps?]] = [:], from first: Int = 0, steps k: Int = 0) {
    let stepwise = stepStatistics(figures, steps: k)
    let at = step
    for (i, slot) in lead.slots.enumerated() {
      var track = tracks[slot.id] ?? Track()
      if let (loss, apriori) = stepwise[slot.id] {
        for j in 0..<k {
          track.loss.append(iteration: first + j + 1, statistics: loss[j])
          track.apriori.append(iteration: first + j + 1, statistics: apriori[j])
        }
        tracks[slot.id] = track
        continue
      }
      var loss: [Double] = []
      var apriori: [Double] = []
      loss.reserveCapacity(members.count)
      apriori.reserveCapacity(members.count)
      // A diverged seed is left out of the bands (its last finite figures say nothing).
      for m in members where i < m.slots.count {
        let t = m.slots[i].trainer
        loss.append(t.diverged ? .nan : t.lastLoss)
        apriori.append(t.diverged ? .nan : t.lastAprioriError)
      }
      track.loss.append(iteration: at, values: loss)
      track.apriori.append(iteration: at, values: apriori)
      tracks[slot.id] = track
    }
  }

  /// For each model in `figures`, the loss's and the a-priori error's statistics over the seeds
  /// at each of the `k` steps, a seed that diverged (in this chunk or before) left out from its
  /// step on. Each model's figure is one piece of work for the threads: with a thousand seeds
  /// the sorting behind the quartiles, done on the session's queue alone, held the threads
  /// back.
  func stepStatistics(_ figures: [Int: [LaneSteps?]], steps k: Int)
    -> [Int: (loss: [SeedStatistics], apriori: [SeedStatistics])]
  {
    let ids = figures.keys.sorted()
    var pieces = [[SeedStatistics]](repeating: [], count: 2 * ids.count)
    pieces.withUnsafeMutableBufferPointer { buffer in
      // Each piece writes its own element only.
      let out = Unchecked(buffer)
      Parallel.forEach(2 * ids.count, threads: threads) { piece in
        let seeds = figures[ids[piece / 2]]!
        let loss = piece % 2 == 0
        var values = [Double](repeating: .nan, count: seeds.count)
        out.value[piece] = (0..<k).map { j in
          for (s, steps) in seeds.enumerated() {
            if let steps, j < steps.done {
              values[s] = loss ? steps.losses[j] : steps.aprioris[j]
            } else {
              values[s] = .nan
            }
          }
          return SeedStatistics(values)
        }
        return true
      }
    }
    var result: [Int: (loss: [SeedStatistics], apriori: [SeedStatistics])] = [:]
    for (n, id) in ids.enumerated() { result[id] = (pieces[2 * n], pieces[2 * n + 1]) }
    return result
  }

  func snapshot(forceStructure: Bool) -> SessionSnapshot {
    let now = monotonicSeconds()
    if paused || isDone { rate.close() } else { rate.sample(now: now, step: step) }
    if !forceStructure, !isDone, var quick = lastFull,
      now - lastFullTime < max(1.0 / 30, 20 * fullCost)
    {
      quick.state = paused ? .paused : .running
      if !paused {
        quick.stepsPerSecond = rate.value
        quick.rateMeasured = rate.measured
      }
      quick.elapsed = lead.elapsedNow
      quick.pace = pace
      quick.commandMessage = commandMessage ?? lead.commandMessage
      quick.recording = recordingStatus
      quick.version += 1
      lastFull = quick
      return quick
    }
    let full = fullSnapshot(forceStructure: forceStructure)
    let after = monotonicSeconds()
    fullCost = max(0, after - now - (measuredStructure ? structureCost : 0))
    lastFullTime = after
    lastFull = full
    return full
  }

  /// Every seed's snapshot and the medians over them.
  func fullSnapshot(forceStructure: Bool) -> SessionSnapshot {
    // One decision for every seed, on the ensemble's own time budget (about 5% of the time).
    let now = monotonicSeconds()
    let refresh =
      forceStructure || now - lastStructureTime >= max(1.0 / 30, 20 * structureCost)
    for m in members { m.structureGate = refresh }
    var snapshots = [SessionSnapshot?](repeating: nil, count: members.count)
    let slots = Locked(snapshots)
    forEachMember { index, m in
      let s = m.snapshot(forceStructure: forceStructure && refresh)
      slots.withLock { $0[index] = s }
    }
    snapshots = slots.withLock { $0 }
    measuredStructure = refresh
    if refresh {
      structureGeneration += 1
      let after = monotonicSeconds()
      structureCost = after - now
      lastStructureTime = after
    }
    let all = snapshots.map { $0! }
    var out = all[0]
    // Each model over the seeds, the models spread over the threads (with a thousand seeds
    // a model's medians and quartiles take several milliseconds).
    let ids = out.models.map(\.id)
    var aggregated = [(ModelSnapshot, [Int: [Double]], StructureSpread?)?](
      repeating: nil, count: ids.count)
    aggregated.withUnsafeMutableBufferPointer { buffer in
      // Each model writes its own element only; the rest is read.
      let shared = Unchecked((buffer, all, tracks, waterfallRows, seeds, structureSpreads))
      let generation = structureGeneration
      Parallel.forEach(ids.count, threads: threads) { i in
        let (out, all, tracks, waterfallRows, seeds, spreads) = shared.value
        var rows = waterfallRows[ids[i]] ?? [:]
        var spread = spreads[ids[i]]
        let m = EnsembleWorker.aggregate(
          all.compactMap { $0.models.indices.contains(i) ? $0.models[i] : nil },
          track: tracks[ids[i]] ?? Track(), seeds: seeds, waterfallRows: &rows,
          spread: &spread, generation: generation)
        out[i] = (m, rows, spread)
        return true
      }
    }
    out.models = aggregated.map { $0!.0 }
    structureSpreads = [:]
    for (id, done) in zip(ids, aggregated) {
      waterfallRows[id] = done!.1
      structureSpreads[id] = done!.2
    }
    out.state = isDone ? .done : (paused ? .paused : .running)
    if out.state == .running {
      out.stepsPerSecond = rate.value
      out.rateMeasured = rate.measured
    } else {
      out.stepsPerSecond = all.map(\.stepsPerSecond).min() ?? 0
    }
    out.pace = pace
    out.commandMessage = commandMessage ?? out.commandMessage
    out.ensemble = EnsembleSummary(seeds: seeds, threads: threads)
    out.recording = recordingStatus
    // The evidence against vanilla from each seed's last structure refresh: each seed's
    // values read once (read in the sign tests' loops, every model of every seed was copied
    // for each property, a cost that grew with the seeds).
    let models = all[0].models
    let properties = EnsembleResult.evidenceProperties
    var values = [[Double]](
      repeating: [Double](repeating: .nan, count: properties.count * all.count),
      count: models.count)
    for (k, seed) in all.enumerated() {
      for (i, m) in seed.models.enumerated() where i < models.count {
        for (j, p) in properties.enumerated() {
          values[i][j * all.count + k] =
            p == "apriori_error"
            ? m.aprioriError
            : StructureProperty(rawValue: p).flatMap { m.diagnostics?.value(of: $0) } ?? .nan
        }
      }
    }
    out.ensemble?.evidence = SignTest.evidence(
      names: models.map(\.label), architectures: models.map(\.architecture), seeds: all.count
    ) { i, k, p in
      guard let j = properties.firstIndex(of: p) else { return nil }
      let v = values[i][j * all.count + k]
      return v.isFinite ? v : nil
    }
    return out
  }

  /// One model over the seeds: the first seed's snapshot with medians in place of its figures,
  /// the median curves, and the spread in `ensemble`.
  static func aggregate(
    _ models: [ModelSnapshot], track: Track, seeds: [UInt64], waterfallRows: inout [Int: [Double]]
  ) -> ModelSnapshot {
    var spread: StructureSpread?
    return aggregate(
      models, track: track, seeds: seeds, waterfallRows: &waterfallRows, spread: &spread,
      generation: 0)
  }

  /// `aggregate`, with the model's structure over the seeds kept in `spread` from one call to
  /// the next while `generation` (see `structureGeneration`) and the seeds that diverged are
  /// the same: then no seed's structure has changed.
  static func aggregate(
    _ models: [ModelSnapshot], track: Track, seeds: [UInt64], waterfallRows: inout [Int: [Double]],
    spread: inout StructureSpread?, generation: Int
  ) -> ModelSnapshot {
    var m = models[0]
    // Each figure's statistics once: their medians are the figures shown, the rest the spread.
    // A diverged seed is left out of them (its last finite figures say nothing of the model)
    // and counted in `diverged`. The seeds' values are read out once, by index: copying the
    // seeds' snapshots cost more than the statistics with a thousand seeds.
    let live = models.indices.filter { models[$0].status != .diverged }
    let diverged = models.count - live.count
    let loss = SeedStatistics(live.map { models[$0].loss })
    let apriori = SeedStatistics(live.map { models[$0].aprioriError })
    m.loss = loss.median ?? .nan
    m.aprioriError = apriori.median ?? .nan
    m.initialAprioriError = SeedStatistics(models.map(\.initialAprioriError)).median ?? .nan
    if spread?.generation != generation || spread?.diverged != diverged {
      spread = StructureSpread(models, live: live, generation: generation)
    }
    let structure = spread!
    m.structure = StructureMetrics(
      additivity: structure.additivity.median ?? .nan,
      homogeneity: structure.homogeneity.map { $0.median ?? .nan },
      lambdas: models[0].structure.lambdas)
    m.lossHistory = track.loss.median
    m.aprioriHistory = track.apriori.median
    if diverged < models.count, m.status == .diverged {
      m.status = models.first { $0.status != .diverged }!.status
    }
    m.stepsPerSecond = models.map(\.stepsPerSecond).reduce(0, +) / Double(models.count)
    m.diagnostics = structure.worst
    m.waterfall = medianWaterfall(models.map(\.waterfall), known: &waterfallRows)
    m.ensemble = ModelEnsemble(
      seeds: models.count, diverged: diverged,
      loss: loss, apriori: apriori, additivity: structure.additivity,
      homogeneityMax: structure.homogeneityMax,
      homogeneity: structure.homogeneity,
      properties: structure.properties,
      lossBand: track.loss, aprioriBand: track.apriori,
      aprioriTraces: models.map(\.aprioriHistory))
    return m
  }

  /// A model's structure over the seeds — the rows' structure columns, the λ panel's median
  /// curve and band, the structure matrix — from each seed's last measurement.
  struct StructureSpread {
    var generation: Int
    var diverged: Int
    var additivity: SeedStatistics
    var homogeneity: [SeedStatistics]
    var homogeneityMax: SeedStatistics
    var properties: [StructureProperty: SeedStatistics]
    /// The first seed's diagnostics with each property's worst seed (EXACT only when every seed
    /// is at rounding level); the median is shown beside it.
    var worst: ModelDiagnostics?

    /// Over the seeds `live` (not diverged) of `models`; the properties over every seed.
    init(_ models: [ModelSnapshot], live: [Int], generation: Int) {
      self.generation = generation
      diverged = models.count - live.count
      let curves = live.map { models[$0].structure }
      additivity = SeedStatistics(curves.map(\.additivity))
      homogeneity = models[0].structure.homogeneity.indices.map { j in
        SeedStatistics(curves.map { j < $0.homogeneity.count ? $0.homogeneity[j] : .nan })
      }
      homogeneityMax = SeedStatistics(curves.map(\.maxHomogeneity))
      let diagnostics = models.compactMap(\.diagnostics)
      let values = Dictionary(
        uniqueKeysWithValues: StructureProperty.allCases.map { p in
          (p, diagnostics.map { $0.value(of: p) })
        })
      properties = values.mapValues(SeedStatistics.init)
      worst = diagnostics.first
      if var w = worst {
        for p in StructureProperty.allCases {
          let defects = diagnostics.compactMap { $0.extendedDefects[p] }
          w.set(p, value: EnsembleWorker.worstOf(values[p]!))
          w.extendedDefects[p] =
            defects.count == models.count ? EnsembleWorker.worstOf(defects) : nil
        }
        worst = w
      }
    }
  }

  /// The largest value, a non-finite one (NaN, ∞) first: the worst seed.
  static func worstOf(_ values: [Double]) -> Double {
    if let bad = values.first(where: { !$0.isFinite }) { return bad }
    return values.max() ?? .nan
  }

  /// The median waterfall: the first seed's rows, each λ's median over the seeds that have a
  /// row at that step (every seed, as they sample together); rows in `known` are reused, and
  /// `known` keeps only the rows still shown.
  static func medianWaterfall(_ all: [[WaterfallRow]], known: inout [Int: [Double]])
    -> [WaterfallRow]
  {
    guard let first = all.first else { return [] }
    var kept: [Int: [Double]] = [:]
    let rows = first.enumerated().map { k, row -> WaterfallRow in
      if let values = known[row.step] {
        kept[row.step] = values
        return WaterfallRow(step: row.step, values: values)
      }
      // Seeds sample at the same moments: row k of each is at the same step (else searched).
      let same = all.compactMap { rows -> WaterfallRow? in
        if k < rows.count, rows[k].step == row.step { return rows[k] }
        return rows.first { $0.step == row.step }
      }
      let values = row.values.indices.map { j in
        SeedStatistics(same.map { $0.values.indices.contains(j) ? $0.values[j] : .nan }).median
          ?? .nan
      }
      kept[row.step] = values
      return WaterfallRow(step: row.step, values: values)
    }
    known = kept
    return rows
  }
}

extension EnsembleWorker {
  /// What the snapshot says about recording.
  var recordingStatus: RecordingStatus? {
    RecordingStatus(recorder: recorder, message: recordingMessage)
  }
}

/// Median, quartiles and extremes of a figure over the seeds, step by step (each a `History`,
/// so bounded however long the run).
public struct BandHistory: Sendable, Hashable {
  public var median = History()
  public var q1 = History()
  public var q3 = History()
  public var min = History()
  public var max = History()

  public init() {}

  /// Adds the figure's values over the seeds at `iteration` (non-finite ones left out; nothing
  /// is added when none is finite).
  mutating func append(iteration: Int, values: [Double]) {
    append(iteration: iteration, statistics: SeedStatistics(values))
  }

  /// Adds statistics already taken over the seeds at `iteration` (nothing when none counted).
  mutating func append(iteration: Int, statistics s: SeedStatistics) {
    guard let m = s.median, let a = s.q1, let b = s.q3, let lo = s.min, let hi = s.max else {
      return
    }
    median.append(iteration: iteration, value: m)
    q1.append(iteration: iteration, value: a)
    q3.append(iteration: iteration, value: b)
    min.append(iteration: iteration, value: lo)
    max.append(iteration: iteration, value: hi)
  }
}

/// What an ensemble session is: its seeds and threads (the header shows them).
public struct EnsembleSummary: Sendable {
  public var seeds: [UInt64]
  public var threads: Int
  /// Every structured model against vanilla, seed by seed (see `SignTest.evidence`).
  public var evidence: [SignTest] = []

  public init(seeds: [UInt64], threads: Int) {
    self.seeds = seeds
    self.threads = threads
  }

  /// "1 seed", "20 seeds".
  public static func seedCount(_ n: Int) -> String { n == 1 ? "1 seed" : "\(n) seeds" }

  /// The seeds as a spec writes them, runs of consecutive seeds as ranges: "1-20", "1,5,9",
  /// "1-10,20-29" (the header shows it, cut by the caller when long).
  public var text: String {
    var parts: [String] = []
    var k = 0
    while k < seeds.count {
      var j = k
      while j + 1 < seeds.count, seeds[j] < UInt64.max, seeds[j + 1] == seeds[j] + 1 { j += 1 }
      parts.append(j > k ? "\(seeds[k])-\(seeds[j])" : "\(seeds[k])")
      k = j + 1
    }
    return parts.joined(separator: ",")
  }
}

/// One model over the seeds of an ensemble: how many seeds, how many diverged, each figure's
/// statistics, the bands of its curves and every seed's a-priori curve (for faint traces).
public struct ModelEnsemble: Sendable {
  /// Seeds whose own curves are kept and drawn as faint traces (`S`); the others keep none.
  public static let tracedSeeds = 64
  public var seeds: Int
  public var diverged: Int
  public var loss: SeedStatistics
  public var apriori: SeedStatistics
  public var additivity: SeedStatistics
  public var homogeneityMax: SeedStatistics
  /// The homogeneity error at each λ of the probe, over the seeds.
  public var homogeneity: [SeedStatistics]
  /// Each structure property's measured value over the seeds.
  public var properties: [StructureProperty: SeedStatistics]
  public var lossBand: BandHistory
  public var aprioriBand: BandHistory
  public var aprioriTraces: [History]
}

extension ModelDiagnostics {
  /// Sets the measured value of `property` (an ensemble's worst seed).
  mutating func set(_ property: StructureProperty, value v: Double) {
    switch property {
    case .additivity: structure.additivity = v
    case .homogeneity: homogeneity = v
    case .positiveHomogeneity: positiveHomogeneity = v
    case .oddness: oddness = v
    case .energy: energy = v
    case .mass: mass = v
    }
  }
}
