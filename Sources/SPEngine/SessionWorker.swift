import SPNumerics

/// The training side of a session: owns every model and runs only on the session's queue.
/// It is created on that queue (or, for a fork, re-run once before the queue starts and handed
/// over whole) and never leaves it, so it needs no locks of its own.
final class SessionWorker {
  /// The session's settings now: those it started with, its target and n as events set them.
  var settings: SessionSettings
  /// The settings the session started with (a log's header; events re-run from them).
  let initialSettings: SessionSettings
  var problem: Problem
  /// One slot per model of the lineup, in order (slot i is `lineup.entries[i]`).
  var slots: [ModelSlot]
  /// The models' numbers, labels and architectures, as lineup events changed them.
  var lineup: Lineup
  var step = 0
  var paused = false
  var pendingSteps = 0
  var stopped = false
  var chunk = 16
  private(set) var startTime: Double
  var rate: StepRate
  /// Wall seconds spent running (not paused, not done), up to `runningSince` when running now.
  var runningSeconds = 0.0
  var runningSince: Double?
  var lastStructureTime = -Double.infinity
  var structureCost = 0.0
  var lastExtendedTime = -Double.infinity
  var extendedCost = 0.0
  var version = 0
  /// When the session first became DONE: the elapsed time stops there.
  var doneTime: Double?
  /// Every user action since the session started, for recordings and markers.
  var events: [SessionLog.Event] = []
  var recorder: SessionRecorder?
  /// The last recording's failure, shown by the dashboard.
  var recordingMessage: String?
  var focus = 0
  var endReason: (reason: String, signal: Int32?)?
  var rollout: RolloutCurves?
  /// How fast the session steps (nil: as fast as it can, never paced — `sptop run`, verify).
  var pace: Pace?
  /// Why the last command was refused, for the dashboard (nil once one is accepted).
  var commandMessage: String?
  /// Set by an ensemble: whether the next snapshot refreshes the structure (nil: this
  /// session's own time budget decides).
  var structureGate: Bool?
  /// Whether the skew target's energy rollout is computed (an ensemble: its first seed only).
  var rolloutEnabled = true
  /// Whether each step's loss and a-priori error go into the models' histories (an ensemble:
  /// only its first `ModelEnsemble.tracedSeeds` seeds, whose curves `S` draws; the charts show
  /// the medians, kept apart).
  var keepsHistories = true
  /// Whether the models keep their waterfall rows (an ensemble: its first seed; the others keep
  /// their latest row, which the ensemble's median row is taken from at once).
  var keepsWaterfall = true
  /// The log this session was forked from (written into every header it records).
  var forkedFrom: SessionLog.Parent?
  var lastRolloutTime = -Double.infinity
  var rolloutCost = 0.0

  init(settings: SessionSettings) {
    self.settings = settings
    initialSettings = settings
    let problem = Problem(n: settings.n, seed: settings.seed, target: settings.target)
    self.problem = problem
    startTime = monotonicSeconds()
    rate = StepRate(openAt: startTime, step: 0)
    lineup = Lineup(architectures: settings.models)
    slots = []
    slots = lineup.entries.map { entry in
      makeSlot(entry, seed: Problem.modelSeed(settings.seed, slot: entry.id))
    }
    // The session's clock starts once its models are built.
    startTime = monotonicSeconds()
    rate = StepRate(openAt: startTime, step: 0)
  }

  /// A fresh model for lineup entry `entry` at the current step, with the session's settings,
  /// its parameters from `seed`.
  func makeSlot(_ entry: Lineup.Entry, seed: UInt64) -> ModelSlot {
    let s = ModelSettings(settings)
    return ModelSlot(
      id: entry.id, label: entry.label, trainer: makeTrainer(entry, seed: seed, settings: s),
      settings: s, step: step)
  }

  func makeTrainer(_ entry: Lineup.Entry, seed: UInt64, settings model: ModelSettings) -> Trainer {
    let s = model.applied(to: settings)
    return Trainer(
      architecture: ArchitectureRegistry.make(entry.architecture, config: s.architectureConfig)!,
      problem: problem, batch: s.batch, optimizer: s.optimizer.make(eta: s.eta),
      initScheme: s.initScheme, seed: seed)
  }

  /// Model `i` with `setting` changed at the current step: a new trainer that takes over the
  /// old one's parameters, stream and η (and its optimiser state unless the optimiser changed),
  /// or one with fresh parameters from a seed drawn from the model's stream (width, init).
  func reconfigure(_ i: Int, _ setting: ModelSetting) {
    let old = slots[i].trainer
    let new = slots[i].settings.with(setting)
    let entry = lineup.entries[i]
    if setting.reinitializes {
      let trainer = makeTrainer(entry, seed: old.drawSeed(), settings: new)
      trainer.optimizer.eta = old.optimizer.eta
      slots[i].restart(with: trainer, step: step)
    } else {
      let trainer = makeTrainer(entry, seed: 0, settings: new)
      var optimizerChanged = false
      if case .optimizer = setting { optimizerChanged = true }
      trainer.takeOver(from: old, optimizerState: !optimizerChanged)
      slots[i].trainer = trainer
    }
    slots[i].settings = new
    slots[i].settingChanges.append(SettingChange(step: step, setting: setting))
  }

  /// Starts the session's clocks (and each model's speed) again: a fork, re-run to its step
  /// before its queue started, begins its own time there.
  func restartClocks() {
    startTime = monotonicSeconds()
    rate = StepRate(openAt: startTime, step: step)
    runningSeconds = 0
    runningSince = nil
    for i in slots.indices {
      slots[i].seconds = 0
      slots[i].steps = 0
    }
  }

  var reachedEnd: Bool { settings.iterations > 0 && step >= settings.iterations }
  var anyTraining: Bool { slots.contains { !$0.trainer.diverged } }
  var isDone: Bool { reachedEnd || !anyTraining }

  var state: SessionState {
    if isDone { return .done }
    return paused ? .paused : .running
  }

  /// Applies one command from another thread: the session's events through `apply(_:)`, the
  /// rest (toggles, scaling, recording, stopping) here.
  func apply(_ command: SessionCommand) {
    switch command {
    case .pause: apply(SessionEvent.pause)
    case .resume: apply(SessionEvent.resume)
    case .togglePause: apply(paused ? SessionEvent.resume : .pause)
    case .step: apply(SessionEvent.step)
    case .setEta(let i, let eta): apply(SessionEvent.setEta(model: i, eta: eta))
    case .scaleEta(let i, let f):
      if slots.indices.contains(i) {
        apply(SessionEvent.setEta(model: i, eta: slots[i].trainer.optimizer.eta * f))
      }
    case .reset(let i):
      // A reset model needs steps left to train in; at the end of the run it would only lose
      // its parameters (the dashboard says so instead of sending it). A policy of the live
      // session, not of the interpreter: a log that recorded such a reset still verifies.
      guard !reachedEnd else { return }
      apply(SessionEvent.reset(model: i))
    case .focus(let i): apply(SessionEvent.focus(model: i))
    case .addModel(let name):
      // Live policies, as for reset: a model added at the end of the run could not train, and
      // the lineup stays within the memory limit the settings were checked against. A log
      // that recorded such an addition still verifies.
      var grown = settings
      grown.models = lineup.entries.map(\.architecture) + [name]
      guard !reachedEnd, let bytes = grown.estimatedBytes(),
        bytes <= SessionSettings.defaultMemoryLimit
      else { return }
      apply(SessionEvent.addModel(architecture: name))
    case .removeModel(let i): apply(SessionEvent.removeModel(model: i))
    case .configure(let model, let setting):
      // Checked as the flags are, the memory of the lineup included (a live policy: the
      // interpreter checks only what training needs).
      let targets = model.map { [$0] } ?? Array(slots.indices)
      guard targets.allSatisfy(slots.indices.contains) else { return }
      if let why = ModelSetting.refusal(
        targets.map { slots[$0].settings.with(setting) },
        architectures: lineup.entries.map(\.architecture), session: settings)
      {
        commandMessage = why
        return
      }
      if setting.reinitializes && reachedEnd {
        commandMessage = "the run is done: a re-initialised model would never train"
        return
      }
      commandMessage = nil
      apply(SessionEvent.configure(model: model, setting: setting))
    case .setProblem(let target, let n):
      // Checked as the flags are, memory included (a live policy, as for configure).
      if let why = problemRefusal(target: target, n: n) {
        commandMessage = why
        return
      }
      commandMessage = nil
      apply(SessionEvent.setProblem(target: target, n: n))
    case .replaceModel(let i, let name):
      guard !reachedEnd else { return }
      apply(SessionEvent.replaceModel(model: i, architecture: name))
    case .setPace, .scalePace, .togglePaceMax:
      _ = pace.apply(command)
    case .startRecording(let file, let logEvery, let evalEvery):
      startRecording(file, logEvery: logEvery, evalEvery: evalEvery)
    case .stopRecording:
      stopRecording(reason: "stopped", signal: nil)
    case .stop, .terminate:
      _ = end(command)
    }
  }

  /// The one interpreter of session events, for the live session and for `verify` (and
  /// `replay --summary`) re-running a log: applies `event` if it can act in the session's state
  /// and records it; true when it acted. Recording notes (`recordStart`, `recordStop`, `end`)
  /// are written by the recording itself and change nothing here.
  @discardableResult
  func apply(_ event: SessionEvent) -> Bool {
    switch event {
    case .pause:
      guard !paused else { return false }
      paused = true
      note(event)
      recorder?.flush()
    case .resume:
      guard paused else { return false }
      paused = false
      pendingSteps = 0
      rate.open(now: monotonicSeconds(), step: step)
      note(event)
    case .step:
      guard paused else { return false }
      pendingSteps += 1
      note(event)
    case .setEta(let i, let eta):
      guard slots.indices.contains(i), eta.isFinite, eta > 0 else { return false }
      slots[i].trainer.optimizer.eta = eta
      slots[i].etaChanges.append(step)
      note(event)
    case .reset(let i):
      guard slots.indices.contains(i) else { return false }
      resetModel(i)
      note(event)
    case .focus(let i):
      guard slots.indices.contains(i), i != focus else { return false }
      focus = i
      note(event)
    case .addModel, .removeModel, .replaceModel:
      guard let change = lineup.apply(event) else { return false }
      switch change {
      case .added(let entry):
        slots.append(makeSlot(entry, seed: Problem.modelSeed(settings.seed, slot: entry.id)))
      case .removed(let i, _):
        slots.remove(at: i)
        if focus > i || focus >= slots.count { focus -= 1 }
      case .replaced(let i, _, let entry):
        let trainer = makeTrainer(
          entry, seed: slots[i].trainer.drawSeed(), settings: slots[i].settings)
        slots[i].replace(with: trainer, label: entry.label, step: step)
      }
      note(event)
    case .configure(let model, let setting):
      let targets = model.map { [$0] } ?? Array(slots.indices)
      guard !targets.isEmpty, targets.allSatisfy(slots.indices.contains),
        ModelSetting.refusal(
          targets.map { slots[$0].settings.with(setting) },
          architectures: lineup.entries.map(\.architecture), session: settings,
          memoryLimit: .max) == nil
      else { return false }
      for i in targets { reconfigure(i, setting) }
      note(event)
    case .setProblem(let target, let n):
      guard changeProblem(target: target, n: n) else { return false }
      note(event)
    case .recordStart, .recordStop, .end:
      return false
    }
    return true
  }

  /// Fresh parameters for model `i`; its history gets a marker at this step.
  func resetModel(_ i: Int) {
    let t = slots[i].trainer
    t.reinitialize()
    slots[i].resets.append(step)
    slots[i].initialApriori = t.lastAprioriError
    slots[i].aprioriHistory.append(iteration: step, value: t.lastAprioriError)
    slots[i].structure = t.structure()
  }

  /// Runs `k` session steps (k steps of every model still training), timing each model. The
  /// models in `lanes` (by slot) were already trained these steps by the lane engine with the
  /// seeds of an ensemble (`LaneTraining`); only their histories are written here.
  func runChunk(_ k: Int) { runChunk(k, lanes: [:]) }

  func runChunk(_ k: Int, lanes: [Int: LaneSteps]) {
    for i in slots.indices {
      if let trained = lanes[i] {
        for j in 0..<trained.done {
          let x = step + j + 1
          if keepsHistories {
            slots[i].lossHistory.append(iteration: x, value: trained.losses[j])
            slots[i].aprioriHistory.append(iteration: x, value: trained.aprioris[j])
          }
          if let r = recorder, x % r.logEvery == 0 {
            recordMetric(
              i, step: x, iteration: trained.firstIteration + j + 1, loss: trained.losses[j],
              apriori: trained.aprioris[j])
          }
        }
        slots[i].seconds += trained.seconds
        slots[i].steps += trained.done
        continue
      }
      guard !slots[i].trainer.diverged else { continue }
      let t = slots[i].trainer
      let t0 = monotonicSeconds()
      var done = 0
      for j in 0..<k {
        guard t.step() else { break }
        done += 1
        let x = step + j + 1
        if keepsHistories {
          slots[i].lossHistory.append(iteration: x, value: t.lastLoss)
          slots[i].aprioriHistory.append(iteration: x, value: t.lastAprioriError)
        }
        if let r = recorder, x % r.logEvery == 0 { recordMetric(i, step: x) }
      }
      slots[i].seconds += monotonicSeconds() - t0
      slots[i].steps += done
    }
    step += k
    if let r = recorder, step % r.evalEvery == 0 { recordEvals() }
  }

  /// Recomputes the structure metrics when they are due (at most ~5% of the time goes there),
  /// and the Float80 defects behind the verdict when those are due, on a budget of their own
  /// (another ~5%: they cost 8–35× the float64 metrics, so at n = 5 both run at 30 Hz, at n = 64
  /// the verdict about once a second); in between, each model keeps its last Float80 defects.
  /// A forced refresh (pause, step, reset, the end) computes both.
  func refreshStructure(force: Bool) {
    let now = monotonicSeconds()
    // An ensemble decides for all its seeds at once (so their rows line up): `structureGate`.
    if let gate = structureGate {
      guard gate else { return }
    } else {
      guard force || now - lastStructureTime >= max(1.0 / 30, 20 * structureCost) else { return }
    }
    let extended =
      force || structureGate == true || now - lastExtendedTime >= max(1.0 / 30, 20 * extendedCost)
    for i in slots.indices {
      var d = slots[i].trainer.diagnostics(extended: false)
      d.extendedDefects = slots[i].diagnostics.extendedDefects
      slots[i].diagnostics = d
      slots[i].structure = d.structure
    }
    let after = monotonicSeconds()
    structureCost = after - now
    lastStructureTime = after
    if extended {
      for i in slots.indices {
        slots[i].diagnostics.extendedDefects = slots[i].trainer.extendedDefects()
      }
      let end = monotonicSeconds()
      extendedCost = end - after
      lastExtendedTime = end
    }
    sampleWaterfalls()
    refreshRollout(force: force)
  }

  func snapshot(forceStructure: Bool = false) -> SessionSnapshot {
    refreshStructure(force: forceStructure)
    let now = monotonicSeconds()
    let state = self.state
    if state == .running, runningSince == nil {
      runningSince = now
      rate.open(now: now, step: step)
    } else if state != .running, let since = runningSince {
      runningSeconds += now - since
      runningSince = nil
    }
    if state != .running {
      rate.set(runningSeconds > 0 ? Double(step) / runningSeconds : 0)
    } else {
      rate.sample(now: now, step: step)
    }
    version += 1
    let done = isDone
    if done && doneTime == nil { doneTime = now }
    if !done { doneTime = nil }
    let models = slots.map { m in
      let t = m.trainer
      var model = ModelSnapshot(
        label: m.label, architecture: t.architecture.name, formula: t.architecture.formula,
        eta: t.optimizer.eta, optimizer: t.optimizer.name, iteration: t.iteration,
        status: t.diverged ? .diverged : ModelStatus(session: state), loss: t.lastLoss,
        aprioriError: t.lastAprioriError, initialAprioriError: m.initialApriori,
        structure: m.structure, lossHistory: m.lossHistory, aprioriHistory: m.aprioriHistory,
        resets: m.resets, stepsPerSecond: m.seconds > 0 ? Double(m.steps) / m.seconds : 0,
        parameterCount: t.architecture.layout.count, diagnostics: m.diagnostics,
        guarantees: t.architecture.guarantees)
      model.etaChanges = m.etaChanges
      model.switches = m.switches
      model.id = m.id
      model.settings = m.settings
      model.settingChanges = m.settingChanges
      model.problemChanges = m.problemChanges
      model.waterfall = m.waterfall
      return model
    }
    var snapshot = SessionSnapshot(
      settings: settings, state: state, step: step, stepsPerSecond: rate.value,
      elapsed: (doneTime ?? now) - startTime, models: models, version: version,
      lambdas: problem.probe.lambdas)
    snapshot.rateMeasured = rate.measured
    snapshot.recording = recordingStatus
    snapshot.rollout = rollout
    snapshot.pace = pace
    snapshot.commandMessage = commandMessage
    snapshot.fork = forkedFrom
    return snapshot
  }
}
