/// The mass-conserving MLP N(x) = g(x) − mean(g(x))·1 with g the seed's network
/// B3 σ(B2 σ(B1 x + b1) + b2) + b3: Σᵢ N(x)ᵢ = 0 up to rounding, for every x and θ, so the flow
/// dx/dt = N(x) keeps Σᵢ xᵢ (mass). Nonlinear; nothing else holds. It represents a linear map A
/// exactly iff A has zero column sums, with w ≥ 2n (g(x) = A x as for `biasfree`).
public struct MassMLP: MLPArchitecture {
  /// The network g.
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width) }

  public var name: String { "mass" }
  public var formula: String { "g(x) − mean(g(x))·1, g = " + MLP.formula }
  public var guarantees: Set<StructureProperty> { [.mass] }

  // Cache, G (n×m), column means (m) and the pullback's scratch.
  public func workspaceSize(batch m: Int) -> Int {
    mlp.cacheSize(batch: m) + n * m + m + mlp.scratchSize(batch: m)
  }

  /// Subtracts each column's mean from the n×m matrix Y, using `mean` (m doubles).
  @inlinable
  func removeMean(_ Y: UnsafeMutablePointer<Double>, m: Int, mean: UnsafeMutablePointer<Double>) {
    for s in 0..<m { mean[s] = 0 }
    for i in 0..<n {
      let row = Y + i * m
      for s in 0..<m { mean[s] += row[s] }
    }
    let inv = 1 / Double(n)
    for s in 0..<m { mean[s] *= inv }
    for i in 0..<n {
      let row = Y + i * m
      for s in 0..<m { row[s] -= mean[s] }
    }
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    mlp.forward(p, X, m: m, into: Y, cache: workspace)
    removeMean(Y, m: m, mean: workspace + mlp.cacheSize(batch: m) + n * m)
  }

  /// g(x) − mean(g(x))·1 in Float80.
  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    mlp.forwardExtended(p, X, m: m, into: Y)
    for s in 0..<m {
      var mean: Float80 = 0
      for i in 0..<n { mean += Y[i * m + s] }
      mean /= Float80(n)
      for i in 0..<n { Y[i * m + s] -= mean }
    }
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let nm = n * m
    let cache = workspace
    let G = workspace + mlp.cacheSize(batch: m)
    let mean = G + nm
    let scratch = mean + m
    mlp.forward(p, X, m: m, into: G, cache: cache)
    removeMean(G, m: m, mean: mean)
    let loss = MLP.squaredError(G, targets: F, count: nm, m: m)
    // N = P g with P = I − 11ᵀ/n symmetric: ∂L/∂g = P ∂L/∂N.
    removeMean(G, m: m, mean: mean)
    mlp.pullback(p, X, m: m, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss
  }
}
