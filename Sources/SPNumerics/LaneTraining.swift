import Dispatch
import SPKernels

/// A value handed to the threads of `concurrentPerform` that only read it, or that each touch
/// a disjoint part of it (their own seeds, their own lane groups): the reason it may cross
/// threads unchecked.
public struct Unchecked<T>: @unchecked Sendable {
  public let value: T
  public init(_ value: T) { self.value = value }
}

/// What the lane engine did for one trainer in `LaneTraining.train`: the steps it took (fewer
/// than asked when the model diverged) and each step's loss and a-priori error.
public struct LaneSteps: Sendable {
  /// The model's iteration before these steps.
  public var firstIteration: Int
  public var done: Int
  public var losses: [Double]
  public var aprioris: [Double]
  /// This model's share of the group's time (the group's seconds over its seeds).
  public var seconds: Double
}

/// Trains the seeds of one architecture together on `LaneMLP` (every architecture; see `key`):
/// eight seeds per group, one SIMD
/// lane each, the groups spread over threads. For every trainer it takes, the result is bit
/// for bit that of calling its `step()` until it diverges (tested against it for every
/// optimiser, target and architecture it takes).
public enum LaneTraining {
  /// What must agree for trainers to share a lane group.
  struct Key: Hashable {
    var linear: Bool
    var objective: LaneMLP.Objective
    var structure: LaneMLP.Structure
    var n: Int
    var width: Int
    var biases: Bool
    var batch: Int
    var target: LaneMLP.Target
    var update: LaneMLP.Update
    var eta: Double
    /// The optimiser's step count at the next step (Adam's bias correction).
    var t: Int
  }

  /// The lane engine trains every architecture — the plain-loss MLPs (vanilla and bias-free),
  /// the penalized MLPs (both scalings), the odd and mass-conserving MLPs, the linear model
  /// `B1 x` and the skew model `(K − Kᵀ) x` — on a target that is a matrix (general, skew, mass,
  /// Laplacian) or a matrix of |x| (even), with any optimiser.
  static func key(_ trainer: Trainer) -> Key? {
    guard !trainer.diverged else { return nil }
    let mlp: MLP
    var linear = false
    var objective = LaneMLP.Objective.plain
    var structure = LaneMLP.Structure.none
    if let a = trainer.architecture as? VanillaMLP {
      mlp = a.mlp
    } else if let a = trainer.architecture as? PenalizedMLP {
      mlp = a.mlp
      objective = .penalty(
        weight: a.weight, lambdaMax: a.lambdaMax, inverseSquare: a.scaling == .inverseSquare)
    } else if let a = trainer.architecture as? BiasFreeMLP {
      mlp = a.mlp
    } else if let a = trainer.architecture as? OddMLP {
      mlp = a.mlp
      structure = .odd
    } else if let a = trainer.architecture as? MassMLP {
      mlp = a.mlp
      structure = .mass
    } else if let a = trainer.architecture as? LinearModel {
      mlp = MLP(n: a.n, width: a.n, biases: false)
      linear = true
    } else if let a = trainer.architecture as? SkewLinear {
      mlp = MLP(n: a.n, width: a.n, biases: false)
      linear = true
      structure = .skew
    } else {
      return nil
    }
    let target: LaneMLP.Target
    switch trainer.problem.targetKind {
    case .general, .skew, .mass, .laplacian: target = .linear
    case .even: target = .absoluteLinear
    case .oddTeacher: return nil
    }
    let update: LaneMLP.Update
    if trainer.optimizer is SGD {
      update = .sgd
    } else if let o = trainer.optimizer as? Momentum {
      update = .momentum(mu: o.mu)
    } else if let o = trainer.optimizer as? Adam {
      update = .adam(beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon)
    } else {
      return nil
    }
    return Key(
      linear: linear, objective: objective, structure: structure, n: mlp.n, width: mlp.width,
      biases: mlp.biases,
      batch: trainer.batch,
      target: target,
      update: update, eta: trainer.optimizer.eta,
      t: trainer.iteration - trainer.optimizerStart + 1)
  }

  /// Trains every trainer the lane engine takes for up to `steps` steps (to divergence at the
  /// latest), each exactly as `steps` calls of its `step()` would, on up to `threads` threads;
  /// returns each trainer's steps, or nil for one it left alone (another architecture, target
  /// or optimiser, already diverged, or alone with its settings: one seed gains nothing).
  public static func train(_ trainers: [Trainer], steps: Int, threads: Int) -> [LaneSteps?] {
    var groups: [(key: Key, members: [Int])] = []
    var open: [Key: Int] = [:]
    var counts: [Key: Int] = [:]
    for (k, t) in trainers.enumerated() {
      guard let key = key(t) else { continue }
      counts[key, default: 0] += 1
      if let g = open[key], groups[g].members.count < LaneMLP.lanes {
        groups[g].members.append(k)
      } else {
        open[key] = groups.count
        groups.append((key, [k]))
      }
    }
    groups.removeAll { counts[$0.key]! < 2 }
    var results = [LaneSteps?](repeating: nil, count: trainers.count)
    guard !groups.isEmpty, steps > 0 else { return results }
    results.withUnsafeMutableBufferPointer { out in
      // Each group's trainers and results are its own: no two threads touch the same ones.
      let shared = Unchecked((trainers, groups, out))
      Parallel.forEach(groups.count, threads: threads) { g in
        let (trainers, groups, out) = shared.value
        let (key, members) = groups[g]
        let done = train(members.map { trainers[$0] }, key: key, steps: steps)
        for (k, steps) in zip(members, done) { out[k] = steps }
        return true
      }
    }
    return results
  }

  /// One group of at most eight trainers with one key (computed once, by the caller).
  static func train(_ group: [Trainer], key: Key, steps: Int) -> [LaneSteps] {
    let started = DispatchTime.now().uptimeNanoseconds
    let iterations = group.map(\.iteration)
    let lanes = LaneMLP(
      n: key.n, width: key.width, biases: key.biases, linear: key.linear,
      objective: key.objective, structure: key.structure, batch: key.batch, target: key.target,
      update: key.update)
    for (l, t) in group.enumerated() {
      let p = t.problem
      let norm = p.fvalid.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, p.n) }
      p.A.withUnsafeBufferPointer { a in
        p.fvalid.withUnsafeBufferPointer { f in
          lanes.load(
            lane: l, theta: t.theta, state: t.stateCount > 0 ? t.state : nil,
            A: a.baseAddress!, xvalid: t.xvalid, fvalid: f.baseAddress!, norm: norm,
            stream: t.rng.state, iteration: t.iteration, lastLoss: t.lastLoss,
            lastApriori: t.lastAprioriError)
        }
      }
    }
    var losses = [Double](repeating: 0, count: steps * LaneMLP.lanes)
    var aprioris = losses
    losses.withUnsafeMutableBufferPointer { l in
      aprioris.withUnsafeMutableBufferPointer { a in
        lanes.train(
          steps: steps, eta: key.eta, t: key.t, losses: l.baseAddress!, aprioris: a.baseAddress!)
      }
    }
    let seconds =
      Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 / Double(group.count)
    return group.enumerated().map { l, t in
      let back = lanes.unload(lane: l, theta: t.theta, state: t.stateCount > 0 ? t.state : nil)
      t.rng.state = back.stream
      t.iteration = back.iteration
      t.diverged = back.diverged
      t.lastLoss = back.lastLoss
      t.lastAprioriError = back.lastApriori
      let done = lanes.done[l]
      return LaneSteps(
        firstIteration: iterations[l], done: done,
        losses: (0..<done).map { losses[$0 * LaneMLP.lanes + l] },
        aprioris: (0..<done).map { aprioris[$0 * LaneMLP.lanes + l] }, seconds: seconds)
    }
  }
}
