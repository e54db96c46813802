/// The odd part of a bias-free ReLU network: N(x) = (h(x) − h(−x))/2, h(x) = B3 σ(B2 σ(B1 x)).
///
/// Exactly odd (N(−x) = −N(x) bit for bit: h(x) and h(−x) are the same columns swapped, and
/// a − b = −(b − a) in floating point) and, since h is positively homogeneous, homogeneous for
/// every real λ; yet nonlinear (not additive). It represents every linear map A exactly with
/// w ≥ n (B1 = I, B2 = I, B3 = 2A gives (A x⁺ − A x⁻)/2·2 = A x) and every odd teacher of the
/// same form and width ≤ w.
public struct OddMLP: Architecture {
  /// The network h.
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width, biases: false) }

  public var name: String { "odd" }
  public var formula: String { "(h(x) − h(−x))/2, h = " + MLP.biasFreeFormula }
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }
  public var guarantees: Set<StructureProperty> { [.homogeneity, .positiveHomogeneity, .oddness] }
  public var reluUnits: Int { mlp.reluUnits }

  // X̃ = [X | −X] and Ỹ = h(X̃) (n×2m each), h's cache and scratch for 2m columns.
  public func workspaceSize(batch m: Int) -> Int {
    let m2 = 2 * m
    return 2 * n * m2 + mlp.cacheSize(batch: m2) + mlp.scratchSize(batch: m2)
  }

  /// Ỹ = h([X | −X]) at `workspace + n·2m`, with h's cache after it; returns Ỹ.
  @inlinable
  func forwardBoth(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    workspace: UnsafeMutablePointer<Double>
  ) -> UnsafeMutablePointer<Double> {
    let m2 = 2 * m
    let Xt = workspace
    let Yt = workspace + n * m2
    for i in 0..<n {
      let src = X + i * m
      let row = Xt + i * m2
      for s in 0..<m {
        row[s] = src[s]
        row[m + s] = -src[s]
      }
    }
    mlp.forward(p, Xt, m: m2, into: Yt, cache: Yt + n * m2)
    return Yt
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    let Yt = forwardBoth(p, X, m: m, workspace: workspace)
    for i in 0..<n {
      let row = Yt + i * 2 * m
      for s in 0..<m { Y[i * m + s] = 0.5 * (row[s] - row[m + s]) }
    }
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    evaluate(p, X, m: m, into: Y, workspace: workspace)
    mlp.markActive(cache: workspace + 4 * n * m, m: 2 * m, into: active)
  }

  /// (h(x) − h(−x))/2 in Float80, h over [X | −X] as in `evaluate`.
  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    let m2 = 2 * m
    let Xt = UnsafeMutablePointer<Float80>.allocate(capacity: 2 * n * m2)
    defer { Xt.deallocate() }
    let Yt = Xt + n * m2
    for i in 0..<n {
      for s in 0..<m {
        Xt[i * m2 + s] = X[i * m + s]
        Xt[i * m2 + m + s] = -X[i * m + s]
      }
    }
    mlp.forwardExtended(p, Xt, m: m2, into: Yt)
    for i in 0..<n {
      let row = Yt + i * m2
      for s in 0..<m { Y[i * m + s] = 0.5 * (row[s] - row[m + s]) }
    }
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let m2 = 2 * m
    let Xt = workspace
    let Yt = forwardBoth(p, X, m: m, workspace: workspace)
    let cache = Yt + n * m2
    let scratch = cache + mlp.cacheSize(batch: m2)
    // y = (u − v)/2 with u = h(x), v = h(−x): ∂L/∂u = ½ ∂L/∂y, ∂L/∂v = −½ ∂L/∂y, written over Ỹ.
    let scale = 2 / Double(m)
    var loss = 0.0
    for i in 0..<n {
      let row = Yt + i * m2
      let f = F + i * m
      for s in 0..<m {
        let r = 0.5 * (row[s] - row[m + s]) - f[s]
        loss += r * r
        let g = 0.5 * scale * r
        row[s] = g
        row[m + s] = -g
      }
    }
    mlp.pullback(p, Xt, m: m2, G: Yt, cache: cache, grad: grad, scratch: scratch)
    return loss / Double(m)
  }
}
