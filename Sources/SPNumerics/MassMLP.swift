/// The mass-conserving MLP N(x) = g(x) − mean(g(x))·1 with g the seed's network
/// B3 σ(B2 σ(B1 x + b1) + b2) + b3: Σᵢ N(x)ᵢ = 0 up to rounding, for every x and θ, so the flow
/// dx/dt = N(x) keeps Σᵢ xᵢ (mass). Nonlinear; nothing else holds. It represents a linear map A
/// exactly iff A has zero column sums, with w ≥ 2n (g(x) = A x as for `biasfree`).
public struct MassMLP: StructuredMLP {
  /// The network g.
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width) }

  public var map: MeanRemoval { MeanRemoval() }
  public var name: String { "mass" }
  public var formula: String { "g(x) − mean(g(x))·1, g = " + MLP.formula }
  public var guarantees: Set<StructureProperty> { [.mass] }
}

/// P = I − 11ᵀ/n on each column: Y = P Ỹ subtracts every column's mean (E is the identity).
/// P is symmetric, so it is its own adjoint.
public struct MeanRemoval: StructureMap {
  public init() {}

  public var copies: Int { 1 }
  public var expandsInput: Bool { false }
  /// The column means.
  public func scratchSize(batch m: Int) -> Int { m }

  @inlinable
  public func expand<T: ModelScalar>(
    _ X: UnsafePointer<T>, n: Int, m: Int, into Xt: UnsafeMutablePointer<T>
  ) {
    Xt.update(from: X, count: n * m)
  }

  /// Y = Ỹ minus each column's mean, the means summed row by row into `scratch` (m scalars).
  @inlinable
  public func combine<T: ModelScalar>(
    _ Yt: UnsafePointer<T>, n: Int, m: Int, into Y: UnsafeMutablePointer<T>,
    scratch mean: UnsafeMutablePointer<T>
  ) {
    for s in 0..<m { mean[s] = 0 }
    for i in 0..<n {
      let row = Yt + i * m
      for s in 0..<m { mean[s] += row[s] }
    }
    for s in 0..<m { mean[s] = T.mean(sum: mean[s], count: n) }
    for i in 0..<n {
      let row = Yt + i * m
      let out = Y + i * m
      for s in 0..<m { out[s] = row[s] - mean[s] }
    }
  }

  /// N = P g, so ∂L/∂g = P ∂L/∂N (P symmetric).
  @inlinable
  public func squaredErrorPullback(
    _ Yt: UnsafeMutablePointer<Double>, targets F: UnsafePointer<Double>, n: Int, m: Int,
    scratch: UnsafeMutablePointer<Double>
  ) -> Double {
    combine(Yt, n: n, m: m, into: Yt, scratch: scratch)
    let loss = MLP.squaredError(Yt, targets: F, count: n * m, m: m)
    combine(Yt, n: n, m: m, into: Yt, scratch: scratch)
    return loss
  }
}
