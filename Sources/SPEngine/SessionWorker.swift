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
  var lastStructureTime = -Double.infinity
  var structureCost = 0.0
  var version = 0
  /// When the session first became DONE: the elapsed time stops there.
  var doneTime: Double?

  init(settings: SessionSettings) {
    self.settings = settings
    let problem = Problem(n: settings.n, seed: settings.seed)
    self.problem = problem
    labels = settings.modelLabels
    let config = ArchitectureConfig(n: settings.n, penaltyWeight: settings.penaltyWeight)
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
    initialApriori = trainers.map(\.lastAprioriError)
    structure = trainers.map { $0.structure() }
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
    case .pause: paused = true
    case .resume:
      paused = false
      pendingSteps = 0
      rateWindow = (monotonicSeconds(), step)
    case .togglePause: apply(paused ? .resume : .pause)
    case .step: if paused { pendingSteps += 1 }
    case .setEta(let i, let eta):
      if trainers.indices.contains(i), eta.isFinite, eta > 0 { trainers[i].optimizer.eta = eta }
    case .scaleEta(let i, let f):
      if trainers.indices.contains(i) {
        apply(.setEta(model: i, eta: trainers[i].optimizer.eta * f))
      }
    case .reset(let i):
      guard trainers.indices.contains(i) else { return }
      trainers[i].reinitialize()
      resets[i].append(step)
      initialApriori[i] = trainers[i].lastAprioriError
      aprioriHistory[i].append(iteration: step, value: trainers[i].lastAprioriError)
      structure[i] = trainers[i].structure()
    case .stop: stopped = true
    }
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
      }
      modelSeconds[i] += monotonicSeconds() - t0
      modelSteps[i] += done
    }
    step += k
  }

  /// Recomputes the structure metrics when they are due (at most ~5% of the time goes there).
  func refreshStructure(force: Bool) {
    let now = monotonicSeconds()
    guard force || now - lastStructureTime >= max(1.0 / 30, 20 * structureCost) else { return }
    for (i, t) in trainers.enumerated() { structure[i] = t.structure() }
    let after = monotonicSeconds()
    structureCost = after - now
    lastStructureTime = after
  }

  func snapshot(forceStructure: Bool = false) -> SessionSnapshot {
    refreshStructure(force: forceStructure)
    let now = monotonicSeconds()
    if state != .running {
      rate = 0
      rateWindow = (now, step)
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
        status: t.diverged ? .diverged : (done ? .done : .training), loss: t.lastLoss,
        aprioriError: t.lastAprioriError, initialAprioriError: initialApriori[i],
        structure: structure[i], lossHistory: lossHistory[i], aprioriHistory: aprioriHistory[i],
        resets: resets[i],
        stepsPerSecond: modelSeconds[i] > 0 ? Double(modelSteps[i]) / modelSeconds[i] : 0,
        parameterCount: t.architecture.layout.count)
    }
    return SessionSnapshot(
      settings: settings, state: state, step: step, stepsPerSecond: rate,
      elapsed: (doneTime ?? now) - startTime, models: models, version: version,
      lambdas: problem.probe.lambdas)
  }
}
