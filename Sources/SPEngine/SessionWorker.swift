import SPNumerics

/// The training side of a session: owns every model and runs only on the session's queue.
/// It is created on that queue and never leaves it, so it needs no locks of its own.
final class SessionWorker {
  let settings: SessionSettings
  let problem: Problem
  let labels: [String]
  var trainers: [Trainer]
  var lossHistory: [History]
  var aprioriHistory: [History]
  var resets: [[Int]]
  var initialApriori: [Double]
  var structure: [StructureMetrics]
  /// Every diagnostic of each model, refreshed with `structure`.
  var diagnostics: [ModelDiagnostics]
  var modelSeconds: [Double]
  var modelSteps: [Int]
  var step = 0
  var paused = false
  var pendingSteps = 0
  var stopped = false
  var chunk = 16
  let startTime: Double
  var rateWindow: (time: Double, step: Int)
  var rate = 0.0
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
  /// Session steps at which η of each model changed.
  var etaChanges: [[Int]] = []
  var recorder: SessionRecorder?
  /// The last recording's failure, shown by the dashboard.
  var recordingMessage: String?
  var focus = 0
  var endReason: (reason: String, signal: Int32?)?
  /// Each model's homogeneity curves as training went on, for the waterfall view.
  var waterfalls: [[WaterfallRow]] = []
  var rollout: RolloutCurves?
  var lastRolloutTime = -Double.infinity
  var rolloutCost = 0.0

  init(settings: SessionSettings) {
    self.settings = settings
    let problem = Problem(n: settings.n, seed: settings.seed, target: settings.target)
    self.problem = problem
    labels = settings.modelLabels
    let config = settings.architectureConfig
    trainers = settings.models.enumerated().map { slot, name in
      Trainer(
        architecture: ArchitectureRegistry.make(name, config: config)!, problem: problem,
        batch: settings.batch, optimizer: settings.optimizer.make(eta: settings.eta),
        initScheme: settings.initScheme, seed: Problem.modelSeed(settings.seed, slot: slot))
    }
    let count = trainers.count
    lossHistory = Array(repeating: History(), count: count)
    aprioriHistory = Array(repeating: History(), count: count)
    resets = Array(repeating: [], count: count)
    etaChanges = Array(repeating: [], count: count)
    initialApriori = trainers.map(\.lastAprioriError)
    diagnostics = trainers.map { $0.diagnostics() }
    structure = diagnostics.map(\.structure)
    modelSeconds = Array(repeating: 0, count: count)
    modelSteps = Array(repeating: 0, count: count)
    startTime = monotonicSeconds()
    rateWindow = (startTime, 0)
    for (i, t) in trainers.enumerated() {
      aprioriHistory[i].append(iteration: 0, value: t.lastAprioriError)
    }
  }

  var reachedEnd: Bool { settings.iterations > 0 && step >= settings.iterations }
  var anyTraining: Bool { trainers.contains { !$0.diverged } }
  var isDone: Bool { reachedEnd || !anyTraining }

  var state: SessionState {
    if isDone { return .done }
    return paused ? .paused : .running
  }

  /// Applies one command; returns true when it changed what a snapshot shows.
  func apply(_ command: SessionCommand) {
    switch command {
    case .pause:
      guard !paused else { return }
      paused = true
      note("pause")
      recorder?.flush()
    case .resume:
      guard paused else { return }
      paused = false
      pendingSteps = 0
      rateWindow = (monotonicSeconds(), step)
      note("resume")
    case .togglePause: apply(paused ? .resume : .pause)
    case .step:
      guard paused else { return }
      pendingSteps += 1
      note("step")
    case .setEta(let i, let eta):
      guard trainers.indices.contains(i), eta.isFinite, eta > 0 else { return }
      trainers[i].optimizer.eta = eta
      etaChanges[i].append(step)
      note("eta", model: i, eta: eta)
    case .scaleEta(let i, let f):
      if trainers.indices.contains(i) {
        apply(.setEta(model: i, eta: trainers[i].optimizer.eta * f))
      }
    case .reset(let i):
      // A reset model needs steps left to train in; at the end of the run it would only lose
      // its parameters (the dashboard says so instead of sending it).
      guard trainers.indices.contains(i), !reachedEnd else { return }
      resetModel(i)
      note("reset", model: i)
    case .focus(let i):
      guard trainers.indices.contains(i), i != focus else { return }
      focus = i
      note("focus", model: i)
    case .startRecording(let file, let logEvery, let evalEvery):
      startRecording(file, logEvery: logEvery, evalEvery: evalEvery)
    case .stopRecording:
      stopRecording(reason: "stopped", signal: nil)
    case .stop:
      endReason = (isDone ? "done" : "quit", nil)
      stopped = true
    case .terminate(let signal):
      endReason = ("signal", signal)
      stopped = true
    }
  }

  /// Fresh parameters for model `i`; its history gets a marker at this step.
  func resetModel(_ i: Int) {
    trainers[i].reinitialize()
    resets[i].append(step)
    initialApriori[i] = trainers[i].lastAprioriError
    aprioriHistory[i].append(iteration: step, value: trainers[i].lastAprioriError)
    structure[i] = trainers[i].structure()
  }

  /// Runs `k` session steps (k steps of every model still training), timing each model.
  func runChunk(_ k: Int) {
    for (i, t) in trainers.enumerated() where !t.diverged {
      let t0 = monotonicSeconds()
      var done = 0
      for j in 0..<k {
        guard t.step() else { break }
        done += 1
        let x = step + j + 1
        lossHistory[i].append(iteration: x, value: t.lastLoss)
        aprioriHistory[i].append(iteration: x, value: t.lastAprioriError)
        if let r = recorder, x % r.logEvery == 0 { recordMetric(i, step: x) }
      }
      modelSeconds[i] += monotonicSeconds() - t0
      modelSteps[i] += done
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
    guard force || now - lastStructureTime >= max(1.0 / 30, 20 * structureCost) else { return }
    let extended = force || now - lastExtendedTime >= max(1.0 / 30, 20 * extendedCost)
    for (i, t) in trainers.enumerated() {
      var d = t.diagnostics(extended: false)
      d.extendedDefects = diagnostics[i].extendedDefects
      diagnostics[i] = d
      structure[i] = d.structure
    }
    let after = monotonicSeconds()
    structureCost = after - now
    lastStructureTime = after
    if extended {
      for (i, t) in trainers.enumerated() { diagnostics[i].extendedDefects = t.extendedDefects() }
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
      rateWindow = (now, step)
    } else if state != .running, let since = runningSince {
      runningSeconds += now - since
      runningSince = nil
    }
    if state != .running {
      rate = runningSeconds > 0 ? Double(step) / runningSeconds : 0
    } else if now - rateWindow.time >= 0.5 {
      rate = Double(step - rateWindow.step) / (now - rateWindow.time)
      rateWindow = (now, step)
    }
    version += 1
    let done = isDone
    if done && doneTime == nil { doneTime = now }
    if !done { doneTime = nil }
    let models = trainers.enumerated().map { i, t in
      ModelSnapshot(
        label: labels[i], architecture: t.architecture.name, formula: t.architecture.formula,
        eta: t.optimizer.eta, optimizer: t.optimizer.name, iteration: t.iteration,
        status: t.diverged ? .diverged : ModelStatus(session: state), loss: t.lastLoss,
        aprioriError: t.lastAprioriError, initialAprioriError: initialApriori[i],
        structure: structure[i], lossHistory: lossHistory[i], aprioriHistory: aprioriHistory[i],
        resets: resets[i],
        stepsPerSecond: modelSeconds[i] > 0 ? Double(modelSteps[i]) / modelSeconds[i] : 0,
        parameterCount: t.architecture.layout.count, diagnostics: diagnostics[i],
        guarantees: t.architecture.guarantees)
    }
    var snapshot = SessionSnapshot(
      settings: settings, state: state, step: step, stepsPerSecond: rate,
      elapsed: (doneTime ?? now) - startTime, models: models, version: version,
      lambdas: problem.probe.lambdas)
    snapshot.recording = recordingStatus
    snapshot.rollout = rollout
    for i in snapshot.models.indices {
      snapshot.models[i].etaChanges = etaChanges[i]
      if i < waterfalls.count { snapshot.models[i].waterfall = waterfalls[i] }
    }
    return snapshot
  }
}
