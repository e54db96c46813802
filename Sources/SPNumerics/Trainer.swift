/// One model in training: an architecture, its flat parameters, its optimiser and state, and the
/// preallocated workspaces that let `step()` run without touching the heap.
///
/// A `Trainer` is owned by one thread at a time (the training queue); it is deliberately not
/// `Sendable`. Each step draws `batch` fresh samples x ~ randn(n) from the model's own stream,
/// averages the gradients of their losses (hand-written pullbacks) and updates once, exactly as
/// the seed does.
public final class Trainer {
  public let architecture: any Architecture
  public let problem: Problem
  public let batch: Int
  public let initScheme: InitScheme
  public var optimizer: any Optimizer
  /// Steps taken since the last (re)initialisation.
  public internal(set) var iteration = 0
  /// True once a step produced a non-finite loss or parameter; training then stops and the
  /// parameters keep their last finite values.
  public internal(set) var diverged = false
  /// The objective of the last step's batch (before its update).
  public internal(set) var lastLoss = Double.nan
  /// The a-priori error after the last step (or at initialisation).
  public internal(set) var lastAprioriError = Double.nan

  var rng: Xoshiro256
  /// The iteration at which the optimiser's state last started from zero (its step count t
  /// runs from there: Adam's bias correction).
  private(set) var optimizerStart = 0
  let count: Int
  /// The parameters. An optimiser that updates in one pass (`applyOverGradient`) writes them
  /// over the gradient's buffer, and the two buffers trade places.
  private(set) var theta: UnsafeMutablePointer<Double>
  private var grad: UnsafeMutablePointer<Double>
  let state: UnsafeMutablePointer<Double>
  let stateCount: Int
  private let X: UnsafeMutablePointer<Double>
  private let F: UnsafeMutablePointer<Double>
  private let targetWorkspace: UnsafeMutablePointer<Double>
  /// The training step's workspace (a batch, or one column for the a-priori error). The probe
  /// evaluations (`diagnostics`, `extendedDefects`) take theirs when they run: a model keeps
  /// only what a step needs, so an ensemble of a thousand seeds stays small.
  private let workspace: UnsafeMutablePointer<Double>
  private let probeColumns: Int
  private let active: UnsafeMutablePointer<Bool>
  private let yvalid: UnsafeMutablePointer<Double>
  let xvalid: UnsafeMutablePointer<Double>

  public init(
    architecture: any Architecture, problem: Problem, batch: Int, optimizer: any Optimizer,
    initScheme: InitScheme, seed: UInt64
  ) {
    precondition(architecture.n == problem.n && batch > 0)
    self.architecture = architecture
    self.problem = problem
    self.batch = batch
    self.optimizer = optimizer
    self.initScheme = initScheme
    self.rng = Xoshiro256(seed: seed)
    let n = problem.n
    count = architecture.layout.count
    theta = .allocate(capacity: count)
    grad = .allocate(capacity: count)
    stateCount = optimizer.stateSize(parameterCount: count)
    state = .allocate(capacity: max(1, stateCount))
    X = .allocate(capacity: n * batch)
    F = .allocate(capacity: n * batch)
    let tws = max(1, problem.targetWorkspaceSize(batch: batch))
    targetWorkspace = .allocate(capacity: tws)
    targetWorkspace.initialize(repeating: 0, count: tws)
    probeColumns = ModelDiagnostics.probeColumns(lambdaCount: problem.probe.lambdas.count)
    active = .allocate(capacity: max(1, architecture.reluUnits))
    let ws = max(architecture.workspaceSize(batch: batch), architecture.workspaceSize(batch: 1))
    workspace = .allocate(capacity: ws)
    workspace.initialize(repeating: 0, count: ws)
    yvalid = .allocate(capacity: n)
    xvalid = .allocate(capacity: n)
    for i in 0..<n { xvalid[i] = problem.xvalid[i] }
    reinitialize()
  }

  deinit {
    for p in [theta, grad, state, X, F, targetWorkspace, workspace, yvalid, xvalid] {
      p.deallocate()
    }
    active.deallocate()
  }

  /// Fresh parameters from the model's stream, zero optimiser state, iteration 0.
  public func reinitialize() {
    architecture.initialize(theta, scheme: initScheme, rng: &rng)
    state.initialize(repeating: 0, count: max(1, stateCount))
    grad.initialize(repeating: 0, count: count)
    iteration = 0
    optimizerStart = 0
    diverged = false
    lastLoss = .nan
    lastAprioriError = aprioriError()
  }

  /// Takes over `other`'s training, for the same model with other settings (batch, penalty
  /// weight, optimiser): its parameters (the layouts must agree), random stream, iteration,
  /// divergence and last figures, η, and — with `optimizerState`, when the optimisers keep
  /// state of the same size — the optimiser's state; without, this optimiser starts from zero
  /// state at the current iteration.
  public func takeOver(from other: Trainer, optimizerState: Bool) {
    precondition(other.count == count)
    theta.update(from: other.theta, count: count)
    rng = other.rng
    iteration = other.iteration
    diverged = other.diverged
    lastLoss = other.lastLoss
    optimizer.eta = other.optimizer.eta
    if optimizerState && other.stateCount == stateCount {
      state.update(from: other.state, count: max(1, stateCount))
      optimizerStart = other.optimizerStart
    } else {
      optimizerStart = iteration
    }
    lastAprioriError = aprioriError()
  }

  /// A seed drawn from the model's own stream (for a model that replaces this one).
  public func drawSeed() -> UInt64 { rng.next() }

  /// One training step. Returns false when the model has diverged (now or earlier).
  @discardableResult
  public func step() -> Bool {
    if diverged { return false }
    let n = problem.n
    // A local copy of the generator: no dynamic exclusivity check per draw on a class property.
    var r = rng
    for s in 0..<batch {
      for i in 0..<n { X[i * batch + s] = r.normal() }
    }
    problem.target(X, m: batch, into: F, workspace: targetWorkspace)
    let loss = architecture.lossAndGradient(
      theta, X, targets: F, m: batch, grad: grad, workspace: workspace, rng: &r)
    rng = r
    guard loss.isFinite else {
      diverged = true
      return false
    }
    if let finite = optimizer.applyOverGradient(theta, gradient: grad, count: count) {
      guard finite else {
        diverged = true
        return false
      }
      swap(&theta, &grad)
    } else {
      guard
        optimizer.apply(
          theta, gradient: grad, count: count, state: state, t: iteration - optimizerStart + 1)
      else {
        diverged = true
        return false
      }
    }
    iteration += 1
    lastLoss = loss
    let e = aprioriError()
    lastAprioriError = e
    if !e.isFinite {
      diverged = true
      return false
    }
    return true
  }

  /// ‖NN(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖ (zero-denominator convention of StructureMetrics).
  public func aprioriError() -> Double {
    architecture.evaluate(theta, xvalid, m: 1, into: yvalid, workspace: workspace)
    let n = problem.n
    for i in 0..<n { yvalid[i] -= problem.fvalid[i] }
    let num = Kernels.norm(yvalid, n)
    let den = problem.fvalid.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, n) }
    return StructureMetrics.relative(num, den)
  }

  /// Additivity and homogeneity errors on the probe inputs (one batched forward pass; the
  /// Float80 re-evaluation for the verdict, which they do not use, is left out).
  public func structure() -> StructureMetrics {
    diagnostics(extended: false).structure
  }

  /// Every diagnostic on the probe inputs (one batched forward pass of L + 9 columns, in a
  /// workspace of its own for the call), and the same defects re-evaluated in Float80 for the
  /// verdict (`extended: false` leaves them out: no verdict beyond the measured value).
  public func diagnostics(extended: Bool = true) -> ModelDiagnostics {
    let units = architecture.reluUnits
    active.initialize(repeating: false, count: max(1, units))
    let P = ModelDiagnostics.probeMatrix(problem)
    var outputs = [Double](repeating: 0, count: P.count)
    var scratch = [Double](repeating: 0, count: architecture.workspaceSize(batch: probeColumns))
    P.withUnsafeBufferPointer { p in
      outputs.withUnsafeMutableBufferPointer { y in
        scratch.withUnsafeMutableBufferPointer { w in
          architecture.evaluate(
            theta, p.baseAddress!, m: probeColumns, into: y.baseAddress!,
            workspace: w.baseAddress!, markingActive: active)
        }
      }
    }
    var d = outputs.withUnsafeBufferPointer { y in
      ModelDiagnostics.from(
        outputs: y.baseAddress!, problem: problem, active: units > 0 ? active : nil,
        reluUnits: units)
    }
    d.guarantees = architecture.guarantees
    if extended { d.extendedDefects = extendedDefects() }
    return d
  }

  /// Each structure property's defect at the current parameters, computed in Float80
  /// (`Architecture.evaluateExtended`, `ModelDiagnostics.extendedDefects`).
  public func extendedDefects() -> [StructureProperty: Double] {
    let E = ModelDiagnostics.probeMatrix(problem, as: Float80.self)
    var outputs = [Float80](repeating: 0, count: E.count)
    return E.withUnsafeBufferPointer { p in
      outputs.withUnsafeMutableBufferPointer { y in
        architecture.evaluateExtended(theta, p.baseAddress!, m: probeColumns, into: y.baseAddress!)
        return ModelDiagnostics.extendedDefects(outputs: y.baseAddress!, problem: problem)
      }
    }
  }

  /// NN(x) for one input.
  public func evaluate(_ x: [Double]) -> [Double] {
    precondition(x.count == problem.n)
    var y = [Double](repeating: 0, count: problem.n)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        architecture.evaluate(
          theta, xp.baseAddress!, m: 1, into: yp.baseAddress!, workspace: workspace)
      }
    }
    return y
  }

  /// A copy of the flat parameter vector.
  public var parameters: [Double] { Array(UnsafeBufferPointer(start: theta, count: count)) }

  /// Replaces the parameters (tests, replays).
  public func setParameters(_ values: [Double]) {
    precondition(values.count == count)
    for i in 0..<count { theta[i] = values[i] }
    lastAprioriError = aprioriError()
  }

  /// The loss and gradient at the current parameters for a given batch (tests; no update).
  public func lossAndGradient(X input: [Double], m: Int) -> (loss: Double, gradient: [Double]) {
    precondition(input.count == problem.n * m && m <= batch)
    var rngCopy = rng
    for i in 0..<input.count { X[i] = input[i] }
    problem.target(X, m: m, into: F, workspace: targetWorkspace)
    let loss = architecture.lossAndGradient(
      theta, X, targets: F, m: m, grad: grad, workspace: workspace, rng: &rngCopy)
    return (loss, Array(UnsafeBufferPointer(start: grad, count: count)))
  }

  /// Identity of the step buffers, for the no-allocation test (θ and the gradient may have
  /// traded places: see `theta`).
  public var bufferAddresses: [UInt] {
    [theta, grad, state, X, F, targetWorkspace, workspace].map { UInt(bitPattern: $0) }
  }
}

extension Trainer {
  /// The homogeneity error at arbitrary λ values on the probe's x (allocates; not for steps).
  public func homogeneity(at lambdas: [Double]) -> [Double] {
    let n = problem.n
    let probe = Probe(
      additivityX: problem.probe.additivityX, additivityY: problem.probe.additivityY,
      homogeneityX: problem.probe.homogeneityX, lambdas: lambdas)
    let P = StructureMetrics.probeMatrix(probe, n: n)
    let cols = 4 + lambdas.count
    var Y = [Double](repeating: 0, count: n * cols)
    var ws = [Double](repeating: 0, count: architecture.workspaceSize(batch: cols))
    P.withUnsafeBufferPointer { p in
      Y.withUnsafeMutableBufferPointer { y in
        ws.withUnsafeMutableBufferPointer { w in
          parameters.withUnsafeBufferPointer { th in
            architecture.evaluate(
              th.baseAddress!, p.baseAddress!, m: cols, into: y.baseAddress!,
              workspace: w.baseAddress!)
          }
        }
      }
    }
    return Y.withUnsafeBufferPointer {
      StructureMetrics.from(outputs: $0.baseAddress!, n: n, lambdas: lambdas).homogeneity
    }
  }
}
