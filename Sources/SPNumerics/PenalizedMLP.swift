/// The seed's first remedy: the same MLP trained on L + w‖NN(λx) − λ NN(x)‖², λ ~ U[−10, 10]
/// drawn per sample. Encourages homogeneity; guarantees nothing.
public struct PenalizedMLP: Architecture {
  public let mlp: MLP
  /// The penalty weight w.
  public let weight: Double
  /// λ is drawn uniformly from [−lambdaMax, lambdaMax).
  public let lambdaMax: Double

  public init(n: Int, weight: Double = 1, lambdaMax: Double = 10) {
    mlp = MLP(n: n)
    self.weight = weight
    self.lambdaMax = lambdaMax
  }

  public var name: String { "penalized" }
  public var formula: String { MLP.formula + ", loss + w‖NN(λx) − λNN(x)‖²" }
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }

  // X̃ = [X | λX] (n×2m), λ (m), then the vanilla workspace for 2m columns.
  public func workspaceSize(batch m: Int) -> Int { 2 * n * m + m + 6 * n * 2 * m }

  public func initialize(
    _ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256
  ) {
    initializeParts(p, scheme: scheme, rng: &rng)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    mlp.forward(p, X, m: m, into: Y, cache: workspace)
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let m2 = 2 * m
    let Xt = workspace
    let lam = workspace + n * m2
    let cache = lam + m
    let G = cache + 2 * n * m2
    let scratch = G + n * m2
    for s in 0..<m { lam[s] = rng.uniform(-lambdaMax, lambdaMax) }
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
    // L = ‖r‖² + w‖d‖²,  ∂L/∂v = 2(r − wλd),  ∂L/∂u = 2wd; averaged over the m samples.
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
        loss += r * r + weight * d * d
        row[s] = scale * (r - weight * lam[s] * d)
        row[m + s] = scale * weight * d
      }
    }
    mlp.pullback(p, Xt, m: m2, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss / Double(m)
  }
}
