import Dispatch
import SPNumerics

/// A training session running on its own background Dispatch queue. Other threads send
/// commands and read the latest immutable snapshot; they never touch the models.
public final class TrainingSession: Sendable {
  public let settings: SessionSettings
  private let queue = DispatchQueue(label: "sptop.training", qos: .userInitiated)
  private let inbox = Locked<[SessionCommand]>([])
  private let latest: Locked<SessionSnapshot?>
  private let outcome = Locked<RunResult?>(nil)
  private let ensembleOutcome = Locked<[RunResult]?>(nil)
  private let wake = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)
  private let publishInterval: Double
  private let stopsWhenDone: Bool
  private let started = Locked(false)
  private let initialPace: Pace?
  /// The seeds of an ensemble session (nil: one session of `settings.seed`) and its threads.
  private let seeds: [UInt64]?
  private let threads: Int
  /// A fork's session, re-run to its step before the queue starts, and its own first events.
  private let forked: Locked<(worker: any SessionEngine, events: [SessionEvent])?>

  /// Validates the settings (throwing the one-line reason) and prepares a session; `start()`
  /// begins training. Snapshots are published every `publishInterval` seconds while training.
  /// With `stopsWhenDone` the session ends by itself when its iterations run out (headless);
  /// otherwise it stays, DONE, until `stop` (the dashboard). A session with a `pace` spreads
  /// its steps evenly over wall time at that many steps per second (changeable with the pace
  /// commands); without one it goes as fast as it can.
  /// With `seeds`, the session is the lineup over each of those seeds (`settings.seed` unused),
  /// trained on `threads` threads; keys act on every seed, the snapshot shows medians and bands.
  public init(
    settings: SessionSettings, publishInterval: Double = 1.0 / 60, stopsWhenDone: Bool = false,
    pace: Pace? = nil, seeds: [UInt64]? = nil, threads: Int = 1
  ) throws {
    try settings.validate()
    self.seeds = seeds
    self.threads = max(1, threads)
    self.settings = settings
    initialPace = pace
    self.publishInterval = publishInterval
    self.stopsWhenDone = stopsWhenDone
    latest = Locked(nil)
    forked = Locked(nil)
  }

  /// A session forked from a recorded one (see `SessionFork`): the parent is re-run to the
  /// fork's step here, on the caller's thread (`progress` gets (step, fork step) as it goes),
  /// and the fork's changes are checked against the models of that moment (throwing why they
  /// cannot apply); they take effect as the session's first events, after any recording sent
  /// before `start()` has begun, so the fork's log records them. The fork of an ensemble's log
  /// is an ensemble of the same seeds, trained on `threads` threads. Throws
  /// `SessionFork.Stopped` once `stopped` (asked as the parent re-runs) says true.
  public convenience init(
    fork: SessionFork, publishInterval: Double = 1.0 / 60, stopsWhenDone: Bool = false,
    pace: Pace? = nil, threads: Int = 1, progress: ((_ step: Int, _ last: Int) -> Void)? = nil,
    stopped: () -> Bool = { false }
  ) throws {
    try self.init(
      settings: fork.settings, publishInterval: publishInterval, stopsWhenDone: stopsWhenDone,
      pace: pace, seeds: fork.parent.header.seeds, threads: threads)
    guard
      let worker = fork.rebuild(threads: max(1, threads), progress: progress, stopped: stopped)
    else { throw SessionFork.Stopped() }
    if let why = fork.refusal(worker) { throw SessionFork.Failure(why) }
    let events = SessionFork.events(
      fork.overrides, slots: worker.lead.slots, session: worker.lead.settings)
    forked.withLock { $0 = (worker, events) }
  }

  /// Starts training on the background queue (once).
  public func start() {
    let first = started.withLock { s in
      defer { s = true }
      return !s
    }
    guard first else { return }
    queue.async { [self] in self.run() }
  }

  /// Queues a command; it is applied before the next chunk of steps (within about a millisecond).
  public func send(_ command: SessionCommand) {
    inbox.withLock { $0.append(command) }
    wake.signal()
  }

  /// The latest snapshot (nil only before the queue has built the models).
  public var snapshot: SessionSnapshot? { latest.withLock { $0 } }

  /// Blocks until the session has ended (its iterations ran out and it was stopped, or `stop`).
  public func waitUntilFinished() {
    finished.wait()
    finished.signal()
  }

  /// Blocks until finished or `seconds` passed; true when finished.
  public func waitUntilFinished(timeout seconds: Double) -> Bool {
    guard finished.wait(timeout: .now() + seconds) == .success else { return false }
    finished.signal()
    return true
  }

  /// The final result, once the session has finished (nil for an ensemble).
  public var result: RunResult? { outcome.withLock { $0 } }

  /// An ensemble's result, seed by seed in the order of its seeds, once it has finished.
  public var ensembleResults: [RunResult]? { ensembleOutcome.withLock { $0 } }

  // MARK: - The queue's side

  private func run() {
    let handover = forked.withLock { f in
      defer { f = nil }
      return f
    }
    let worker: any SessionEngine =
      handover?.worker
      ?? (seeds.map { EnsembleWorker(settings: settings, seeds: $0, threads: threads) }
        ?? SessionWorker(settings: settings))
    var forkEvents = handover?.events ?? []
    if handover != nil { worker.restartClocks() }
    worker.pace = initialPace
    var schedule = PaceSchedule()
    publish(worker.snapshot(forceStructure: true))
    var lastPublish = monotonicSeconds()
    while true {
      let commands = inbox.withLock { box in
        defer { box.removeAll(keepingCapacity: true) }
        return box
      }
      // A paused screen shows the structure at the step it stopped on, a new model its own,
      // at once.
      var forceStructure = commands.contains(where: \.showsStructureAtOnce)
      for c in commands { worker.apply(c) }
      // A fork's changes, once: after the commands sent before the start (a recording).
      if !forkEvents.isEmpty {
        for e in forkEvents { worker.apply(e) }
        forkEvents = []
        forceStructure = true
      }
      if worker.stopped { break }
      // Any command may change the pace or the state: the schedule starts again from here.
      if !commands.isEmpty { schedule.restart() }
      var canStep = !worker.isDone && (!worker.paused || worker.pendingSteps > 0)
      // Paced and running: only the steps due now, and a wait until the next falls due.
      var nextDue: Double?
      var paced = Int.max
      if canStep, !worker.paused, let pace = worker.pace, !pace.unthrottled {
        let due = schedule.due(
          now: monotonicSeconds(), step: worker.step, rate: pace.stepsPerSecond)
        paced = due.steps
        nextDue = due.next
        if paced == 0 { canStep = false }
      } else {
        schedule.restart()
      }
      if canStep {
        var k = min(paced, worker.chunkLimit(worker.paused ? 1 : worker.chunk))
        if worker.settings.iterations > 0 { k = min(k, worker.settings.iterations - worker.step) }
        let t0 = monotonicSeconds()
        worker.runChunk(k)
        if worker.paused {
          worker.pendingSteps -= 1
          forceStructure = true
        } else if k == worker.chunk {
          // The chunk adapts to take `chunkSeconds` (0.5–2 ms for one session), judged only on
          // full chunks: a paced or cut chunk of a few steps says nothing of a full one.
          let dt = monotonicSeconds() - t0
          let target = worker.chunkSeconds
          if dt < target.lowerBound && worker.chunk < 1 << 16 { worker.chunk *= 2 }
          if dt > target.upperBound && worker.chunk > 1 { worker.chunk /= 2 }
        }
      }
      let now = monotonicSeconds()
      worker.serviceRecorder(now: now)
      if !commands.isEmpty || worker.isDone || !canStep || now - lastPublish >= publishInterval {
        publish(worker.snapshot(forceStructure: forceStructure || worker.isDone))
        lastPublish = now
      }
      if worker.isDone && stopsWhenDone { break }
      if let next = nextDue, !worker.isDone {
        // Until the next paced step falls due (a command wakes it sooner).
        let wait = next - monotonicSeconds()
        if wait > 0 { _ = wake.wait(timeout: .now() + min(wait, 0.25)) }
      } else if !canStep || worker.isDone {
        _ = wake.wait(timeout: .now() + 0.25)
      }
    }
    let end = worker.endReason ?? (worker.isDone ? ("done", nil) : ("quit", nil))
    worker.stopRecording(reason: end.reason, signal: end.signal)
    let final = worker.snapshot(forceStructure: true)
    publish(final)
    outcome.withLock { $0 = worker.result(final) }
    if let ensemble = worker as? EnsembleWorker {
      let results = ensemble.memberResults()
      ensembleOutcome.withLock { $0 = results }
    }
    finished.signal()
  }

  private func publish(_ s: SessionSnapshot) {
    latest.withLock { $0 = s }
  }
}
