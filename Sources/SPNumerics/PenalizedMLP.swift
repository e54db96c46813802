/// The seed's first remedy: the same MLP trained on L + w‖NN(λx) − λ NN(x)‖², λ ~ U[−10, 10]
/// drawn per sample. Encourages homogeneity; guarantees nothing.
public struct PenalizedMLP: MLPArchitecture {
  public let penalty: HomogeneityPenalty

  public init(n: Int, width: Int? = nil, weight: Double = 1, lambdaMax: Double = 10) {
    penalty = HomogeneityPenalty(
      mlp: MLP(n: n, width: width), weight: weight, lambdaMax: lambdaMax, scaled: false)
  }

  public var mlp: MLP { penalty.mlp }
  /// The penalty weight w.
  public var weight: Double { penalty.weight }
  /// λ is drawn uniformly from [−lambdaMax, lambdaMax).
  public var lambdaMax: Double { penalty.lambdaMax }

  public var name: String { "penalized" }
  public var formula: String { MLP.formula + ", loss + w‖NN(λx) − λNN(x)‖²" }
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

/// The homogeneity-penalised loss of an MLP, shared by `penalized` and `penalized-scaled`:
/// per sample ‖NN(x) − f(x)‖² + w_λ ‖NN(λx) − λ NN(x)‖² with λ ~ U[−λmax, λmax) and w_λ = w
/// (seed) or w / max(1, λ²) (`scaled`), averaged over the batch.
public struct HomogeneityPenalty: Hashable, Sendable {
  public let mlp: MLP
  public let weight: Double
  public let lambdaMax: Double
  /// Weight the penalty by 1/max(1, λ²), so large |λ| no longer dominate the objective.
  public let scaled: Bool

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
    for s in 0..<m { wl[s] = scaled ? weight / max(1, lam[s] * lam[s]) : weight }
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
