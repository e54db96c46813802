/// An optimiser: hyperparameters only. Its state lives in a separate buffer the caller owns
/// (Optimisers.jl's `setup`/`update!` split), and `apply` is the only place parameters change.
public protocol Optimizer: Sendable {
  var name: String { get }
  /// The learning rate η; may be changed between steps.
  var eta: Double { get set }
  /// Doubles of state needed for `parameterCount` parameters (zero-initialised by the caller).
  func stateSize(parameterCount: Int) -> Int
  /// One update θ ← θ − Δ(g) at step `t` (1-based). When any new parameter or state value would
  /// not be finite, nothing is changed and the result is false (the model has diverged).
  func apply(
    _ theta: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, count: Int,
    state: UnsafeMutablePointer<Double>, t: Int
  ) -> Bool
  /// The same update in one pass, for an optimiser without state: the new parameters are
  /// written over the gradient (whose buffer the caller then takes as θ's) and θ is only read,
  /// so on false (a value not finite) the model keeps θ as it was. nil: this optimiser updates
  /// in place only (`apply`).
  func applyOverGradient(
    _ theta: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>, count: Int
  ) -> Bool?
}

extension Optimizer {
  public func applyOverGradient(
    _ theta: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>, count: Int
  ) -> Bool? { nil }
}

/// The optimisers sptop offers by name.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
  case sgd, momentum, adam

  public func make(eta: Double) -> any Optimizer {
    switch self {
    case .sgd: SGD(eta: eta)
    case .momentum: Momentum(eta: eta)
    case .adam: Adam(eta: eta)
    }
  }
}

/// Plain gradient descent, the seed's optimiser: θ ← θ − η g.
public struct SGD: Optimizer {
  public var eta: Double
  public init(eta: Double) { self.eta = eta }
  public var name: String { "sgd" }
  public func stateSize(parameterCount: Int) -> Int { 0 }

  public func apply(
    _ theta: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, count: Int,
    state: UnsafeMutablePointer<Double>, t: Int
  ) -> Bool {
    let e = SIMD4<Double>(repeating: eta)
    let finite = Kernels.allFinite(count: count) { i in
      let y = Kernels.load4(theta, i) - e * Kernels.load4(g, i)
      return y - y
    } scalar: { i in
      let y = theta[i] - eta * g[i]
      return y - y
    }
    guard finite else { return false }
    for i in 0..<count { theta[i] -= eta * g[i] }
    return true
  }

  /// θ − η g over g in one pass (`apply` reads θ and g twice: once to check, once to update);
  /// the same operations, so the same bits.
  public func applyOverGradient(
    _ theta: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>, count: Int
  ) -> Bool? {
    let e = SIMD4<Double>(repeating: eta)
    return Kernels.allFinite(count: count) { i in
      let y = Kernels.load4(theta, i) - e * Kernels.load4(g, i)
      Kernels.store4(y, g, i)
      return y - y
    } scalar: { i in
      let y = theta[i] - eta * g[i]
      g[i] = y
      return y - y
    }
  }
}

/// Heavy-ball momentum (PyTorch's form): v ← μ v + g, θ ← θ − η v; μ = 0.9 by default.
public struct Momentum: Optimizer {
  public var eta: Double
  public var mu: Double
  public init(eta: Double, mu: Double = 0.9) {
    self.eta = eta
    self.mu = mu
  }
  public var name: String { "momentum" }
  public func stateSize(parameterCount: Int) -> Int { parameterCount }

  public func apply(
    _ theta: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, count: Int,
    state v: UnsafeMutablePointer<Double>, t: Int
  ) -> Bool {
    let e = SIMD4<Double>(repeating: eta)
    let u = SIMD4<Double>(repeating: mu)
    let finite = Kernels.allFinite(count: count) { i in
      let vi = u * Kernels.load4(v, i) + Kernels.load4(g, i)
      let y = Kernels.load4(theta, i) - e * vi
      return (y - y) + (vi - vi)
    } scalar: { i in
      let vi = mu * v[i] + g[i]
      let y = theta[i] - eta * vi
      return (y - y) + (vi - vi)
    }
    guard finite else { return false }
    for i in 0..<count {
      v[i] = mu * v[i] + g[i]
      theta[i] -= eta * v[i]
    }
    return true
  }
}

/// Adam (Kingma & Ba 2015) with bias correction: β1 = 0.9, β2 = 0.999, ε = 1e-8 by default.
/// State: first moments then second moments.
public struct Adam: Optimizer {
  public var eta: Double
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  public init(eta: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    self.eta = eta
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }
  public var name: String { "adam" }
  public func stateSize(parameterCount: Int) -> Int { 2 * parameterCount }

  public func apply(
    _ theta: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, count: Int,
    state: UnsafeMutablePointer<Double>, t: Int
  ) -> Bool {
    let m = state
    let v = state + count
    let c1 = 1 - pow(beta1, Double(t))
    let c2 = 1 - pow(beta2, Double(t))
    @inline(__always) func moments(_ i: Int) -> (Double, Double, Double) {
      let mi = beta1 * m[i] + (1 - beta1) * g[i]
      let vi = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
      let step = eta * (mi / c1) / ((vi / c2).squareRoot() + epsilon)
      return (mi, vi, step)
    }
    // Branch-free, as in SGD: (y − y) is NaN exactly when y is not finite. The four-lane form
    // computes each lane with the same operations as `moments`.
    let b1 = SIMD4<Double>(repeating: beta1)
    let b2 = SIMD4<Double>(repeating: beta2)
    let finite = Kernels.allFinite(count: count) { i in
      let gi = Kernels.load4(g, i)
      let mi = b1 * Kernels.load4(m, i) + (1 - beta1) * gi
      let vi = b2 * Kernels.load4(v, i) + (1 - beta2) * gi * gi
      let step = eta * (mi / c1) / ((vi / c2).squareRoot() + epsilon)
      let y = Kernels.load4(theta, i) - step
      return (y - y) + (mi - mi) + (vi - vi)
    } scalar: { i in
      let (mi, vi, step) = moments(i)
      let y = theta[i] - step
      return (y - y) + (mi - mi) + (vi - vi)
    }
    guard finite else { return false }
    for i in 0..<count {
      let (mi, vi, step) = moments(i)
      m[i] = mi
      v[i] = vi
      theta[i] -= step
    }
    return true
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
