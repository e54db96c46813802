/// The energy-conserving linear model N(x) = (K − Kᵀ) x, θ = K (n×n).
///
/// S = K − Kᵀ is skew-symmetric bit for bit (S_ij = K_ij − K_ji = −S_ji), so x·N(x) = 0 up to
/// the rounding of the dot product: the flow dx/dt = N(x) keeps ‖x‖² (energy). Linear, hence
/// additive, homogeneous and odd. It represents a target A exactly iff A is skew (K = A/2);
/// it cannot represent any symmetric part.
public struct SkewLinear: Architecture {
  public let n: Int
  public init(n: Int) { self.n = n }

  public var name: String { "skew" }
  public var formula: String { "(K − Kᵀ) x" }
  public var layout: ParameterLayout { ParameterLayout([("K", n, n)]) }
  public var guarantees: Set<StructureProperty> {
    [.additivity, .homogeneity, .positiveHomogeneity, .oddness, .energy]
  }

  // S (n×n), then the linear model's workspace (G, n×m, and a transposed input, m×n).
  public func workspaceSize(batch m: Int) -> Int {
    n * n + LinearModel(n: n).workspaceSize(batch: m)
  }

  /// S = K − Kᵀ into `S`.
  @inlinable
  func skewPart(_ K: UnsafePointer<Double>, into S: UnsafeMutablePointer<Double>) {
    for i in 0..<n {
      for j in 0..<n { S[i * n + j] = K[i * n + j] - K[j * n + i] }
    }
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    skewPart(p, into: workspace)
    Kernels.affine(workspace, nil, rows: n, inner: n, X, m: m, into: Y)
  }

  /// (K − Kᵀ) x in Float80 (S formed in Float80 as well: still skew bit for bit).
  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    for i in 0..<n {
      let y = Y + i * m
      for s in 0..<m { y[s] = 0 }
      for j in 0..<n {
        let a = Float80(p[i * n + j]) - Float80(p[j * n + i])
        let x = X + j * m
        for s in 0..<m { y[s] += a * x[s] }
      }
    }
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let S = workspace
    skewPart(p, into: S)
    // The linear model B1 x at B1 = S gives the loss and ∂L/∂S; then ∂L/∂K = ∂L/∂S − (∂L/∂S)ᵀ,
    // in place.
    let loss = LinearModel(n: n).lossAndGradient(
      S, X, targets: F, m: m, grad: grad, workspace: workspace + n * n, rng: &rng)
    for i in 0..<n {
      grad[i * n + i] = 0
      for j in (i + 1)..<max(i + 1, n) {
        let a = grad[i * n + j]
        let b = grad[j * n + i]
        grad[i * n + j] = a - b
        grad[j * n + i] = b - a
      }
    }
    return loss
  }
}
