import SPKernels

/// The seed's MLP trained with a homogeneity penalty (the PINN way): encourages homogeneity,
/// guarantees nothing. Registered twice, by the penalty's scaling:
/// - `penalized` (the seed's first remedy, `.constant`): L + w‖NN(λx) − λ NN(x)‖².
/// - `penalized-scaled` (`.inverseSquare`): L + w/max(1, λ²)·‖NN(λx) − λ NN(x)‖². The seed's
///   unweighted penalty grows like λ², so with randn initialisation it overwhelms the fit and
///   the network collapses to a near-constant output; this weighting keeps both terms of the
///   same order.
///
/// λ ~ U[−lambdaMax, lambdaMax) is drawn per sample.
public struct PenalizedMLP: MLPArchitecture {
  public let penalty: HomogeneityPenalty

  public init(
    n: Int, width: Int? = nil, weight: Double = 1, lambdaMax: Double = 10,
    scaling: PenaltyScaling = .constant
  ) {
    penalty = HomogeneityPenalty(
      mlp: MLP(n: n, width: width), weight: weight, lambdaMax: lambdaMax, scaling: scaling)
  }

  public var mlp: MLP { penalty.mlp }
  /// The penalty weight w.
  public var weight: Double { penalty.weight }
  /// λ is drawn uniformly from [−lambdaMax, lambdaMax).
  public var lambdaMax: Double { penalty.lambdaMax }
  public var scaling: PenaltyScaling { penalty.scaling }

  public var name: String {
    switch scaling {
    case .constant: "penalized"
    case .inverseSquare: "penalized-scaled"
    }
  }

  public var formula: String {
    switch scaling {
    case .constant: MLP.formula + ", loss + w‖NN(λx) − λNN(x)‖²"
    case .inverseSquare: MLP.formula + ", loss + w/max(1,λ²)‖NN(λx) − λNN(x)‖²"
    }
  }

  public var guarantees: Set<StructureProperty> { [] }

  public func workspaceSize(batch m: Int) -> Int { penalty.workspaceSize(batch: m) }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    penalty.lossAndGradient(p, X, targets: F, m: m, grad: grad, workspace: workspace, rng: &rng)
  }
}

/// How the homogeneity penalty of a sample is weighted by its λ.
public enum PenaltyScaling: Hashable, Sendable {
  /// w_λ = w (the seed's).
  case constant
  /// w_λ = w / max(1, λ²), so large |λ| no longer dominate the objective.
  case inverseSquare

  /// w_λ for penalty weight w and the sample's λ.
  @inlinable
  public func weight(_ w: Double, lambda: Double) -> Double {
    switch self {
    case .constant: w
    case .inverseSquare: w / max(1, lambda * lambda)
    }
  }
}

/// The homogeneity-penalised loss of an MLP: per sample
/// ‖NN(x) − f(x)‖² + w_λ ‖NN(λx) − λ NN(x)‖² with λ ~ U[−λmax, λmax) and w_λ from `scaling`,
/// averaged over the batch.
public struct HomogeneityPenalty: Hashable, Sendable {
  public let mlp: MLP
  public let weight: Double
  public let lambdaMax: Double
  public let scaling: PenaltyScaling

  var n: Int { mlp.n }

  // X̃ = [X | λX] (n×2m), λ and w_λ (m each), then the vanilla workspace for 2m columns.
  public func workspaceSize(batch m: Int) -> Int {
    let m2 = 2 * m
    return n * m2 + 2 * m + mlp.cacheSize(batch: m2) + n * m2 + mlp.scratchSize(batch: m2)
  }

  @inlinable
  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let n = mlp.n
    let m2 = 2 * m
    let Xt = workspace
    let lam = workspace + n * m2
    let wl = lam + m
    let cache = wl + m
    let G = cache + mlp.cacheSize(batch: m2)
    let scratch = G + n * m2
    for s in 0..<m { lam[s] = rng.uniform(-lambdaMax, lambdaMax) }
    for s in 0..<m { wl[s] = scaling.weight(weight, lambda: lam[s]) }
    for i in 0..<n {
      let src = X + i * m
      let row = Xt + i * m2
      for s in 0..<m {
        row[s] = src[s]
        row[m + s] = lam[s] * src[s]
      }
    }
    mlp.forward(p, Xt, m: m2, into: G, cache: cache)
    // With v = NN(x), u = NN(λx), r = v − f, d = u − λv:
    // L = ‖r‖² + w_λ‖d‖²,  ∂L/∂v = 2(r − w_λ λ d),  ∂L/∂u = 2 w_λ d; averaged over the m samples.
    let scale = 2 / Double(m)
    var loss = 0.0
    for i in 0..<n {
      let row = G + i * m2
      let f = F + i * m
      for s in 0..<m {
        let v = row[s]
        let u = row[m + s]
        let r = v - f[s]
        let d = u - lam[s] * v
        loss += r * r + wl[s] * d * d
        row[s] = scale * (r - wl[s] * lam[s] * d)
        row[m + s] = scale * wl[s] * d
      }
    }
    mlp.pullback(p, Xt, m: m2, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss / Double(m)
  }
}
