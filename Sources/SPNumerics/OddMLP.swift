/// The odd part of a bias-free ReLU network: N(x) = (h(x) − h(−x))/2, h(x) = B3 σ(B2 σ(B1 x)).
///
/// Exactly odd (N(−x) = −N(x) bit for bit: h(x) and h(−x) are the same columns swapped, and
/// a − b = −(b − a) in floating point) and, since h is positively homogeneous, homogeneous for
/// every real λ; yet nonlinear (not additive). It represents every linear map A exactly with
/// w ≥ n (B1 = I, B2 = I, B3 = 2A gives (A x⁺ − A x⁻)/2·2 = A x) and every odd teacher of the
/// same form and width ≤ w.
public struct OddMLP: StructuredMLP {
  /// The network h.
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width, biases: false) }

  public var map: OddPart { OddPart() }
  public var name: String { "odd" }
  public var formula: String { "(h(x) − h(−x))/2, h = " + MLP.biasFreeFormula }
  public var guarantees: Set<StructureProperty> { [.homogeneity, .positiveHomogeneity, .oddness] }
}

/// The odd part of a network: X̃ = [X | −X], Y = (u − v)/2 for Ỹ = [U | V] (n × 2m, row by row),
/// and its adjoint g ↦ [g/2 | −g/2].
public struct OddPart: StructureMap {
  public init() {}

  public var copies: Int { 2 }
  public var expandsInput: Bool { true }
  public func scratchSize(batch m: Int) -> Int { 0 }

  @inlinable
  public func expand<T: ModelScalar>(
    _ X: UnsafePointer<T>, n: Int, m: Int, into Xt: UnsafeMutablePointer<T>
  ) {
    for i in 0..<n {
      let src = X + i * m
      let row = Xt + i * 2 * m
      for s in 0..<m {
        row[s] = src[s]
        row[m + s] = -src[s]
      }
    }
  }

  @inlinable
  public func combine<T: ModelScalar>(
    _ Yt: UnsafePointer<T>, n: Int, m: Int, into Y: UnsafeMutablePointer<T>,
    scratch: UnsafeMutablePointer<T>
  ) {
    for i in 0..<n {
      let row = Yt + i * 2 * m
      for s in 0..<m { Y[i * m + s] = 0.5 * (row[s] - row[m + s]) }
    }
  }

  /// One pass: y = (u − v)/2 with u = h(x), v = h(−x), so ∂L/∂u = ½ ∂L/∂y and ∂L/∂v = −½ ∂L/∂y,
  /// written over Ỹ.
  @inlinable
  public func squaredErrorPullback(
    _ Yt: UnsafeMutablePointer<Double>, targets F: UnsafePointer<Double>, n: Int, m: Int,
    scratch: UnsafeMutablePointer<Double>
  ) -> Double {
    let scale = 2 / Double(m)
    var loss = 0.0
    for i in 0..<n {
      let row = Yt + i * 2 * m
      let f = F + i * m
      for s in 0..<m {
        let r = 0.5 * (row[s] - row[m + s]) - f[s]
        loss += r * r
        let g = 0.5 * scale * r
        row[s] = g
        row[m + s] = -g
      }
    }
    return loss / Double(m)
  }
}
