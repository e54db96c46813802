/// The target structures of `--target`: what the models are trained to imitate.
///
/// Every target derives from the same draws (see `Problem`); M = randn(n, n) is the seed's A.
///
/// | target | f(x) | structure it has |
/// | --- | --- | --- |
/// | `general` | A x, A = M | linear |
/// | `skew` | A x, A = (M − Mᵀ)/2 | linear, energy conserving (x·f(x) = 0) |
/// | `mass` | A x, A = M minus each column's mean | linear, mass conserving (Σᵢ f(x)ᵢ = 0) |
/// | `laplacian` | x[i−1] − 2x[i] + x[i+1], periodic | linear, mass conserving, dissipative |
/// | `even` | A|x| elementwise, A = M | positively homogeneous, even; not additive |
/// | `odd-teacher` | (h*(x) − h*(−x))/2, h* = C3 σ(C2 σ(C1 x)), C ~ N(0, 2/n) | odd, homogeneous; not additive |
///
/// Which architectures represent each target exactly (some parameter value gives N = f for every
/// x): `exactlyRepresentable(by:n:width:)`; the constructions are in the architectures' comments.
public enum TargetKind: String, CaseIterable, Sendable, Codable {
  case general, skew, mass, laplacian, even
  case oddTeacher = "odd-teacher"

  /// A one-line formula for people.
  public var formula: String {
    switch self {
    case .general: "A x, A = randn(n, n)"
    case .skew: "A x, A = (M − Mᵀ)/2"
    case .mass: "A x, A = M − column means (zero column sums)"
    case .laplacian: "x[i−1] − 2x[i] + x[i+1] (periodic)"
    case .even: "A|x|, A = randn(n, n)"
    case .oddTeacher: "(h*(x) − h*(−x))/2, h* = C3 σ(C2 σ(C1 x)) fixed, width n"
    }
  }

  /// The structure properties the target itself has.
  public var properties: Set<StructureProperty> {
    switch self {
    case .general: [.additivity, .homogeneity, .positiveHomogeneity, .oddness]
    case .skew: [.additivity, .homogeneity, .positiveHomogeneity, .oddness, .energy]
    case .mass, .laplacian: [.additivity, .homogeneity, .positiveHomogeneity, .oddness, .mass]
    case .even: [.positiveHomogeneity]
    case .oddTeacher: [.homogeneity, .positiveHomogeneity, .oddness]
    }
  }

  /// The smallest n at which the target is not identically zero (skew, mass and the periodic
  /// Laplacian vanish at n = 1, which would leave the a-priori error without a denominator).
  public var minimumN: Int {
    switch self {
    case .skew, .mass, .laplacian: 2
    case .general, .even, .oddTeacher: 1
    }
  }

  /// Whether architecture `name` with hidden width `width` can represent this target exactly
  /// (sufficient widths; false for unknown names). The constructions:
  /// - linear maps (general, skew, mass, laplacian): `linear` (B1 = A); `odd` with w ≥ n
  ///   (B1 = B2 = I, B3 = 2A); `biasfree` and the seed's MLP (`vanilla`, `penalized`,
  ///   `penalized-scaled`) with w ≥ 2n and zero biases (B1 = [I; −I], B2 = I, B3 = [A, −A]);
  ///   `skew` iff A is skew (K = A/2); `mass` iff A has zero column sums, w ≥ 2n.
  /// - even, A|x|: `biasfree` and the seed's MLP with w ≥ 2n (B3 = [A, A]); no odd, linear or
  ///   mass-conserving model can (A|x| is even and its entries do not sum to zero).
  /// - odd-teacher: `odd` with w ≥ n (copy the teacher); `biasfree` and the seed's MLP with
  ///   w ≥ 2n (B1 = [C1; −C1], B2 = diag(C2, C2), B3 = [C3, −C3]/2, zero biases).
  public func exactlyRepresentable(by name: String, n: Int, width w: Int) -> Bool {
    ArchitectureRegistry.entry(named: name)?.represents(self, n, w) ?? false
  }

  /// A from the draw M (n×n row-major).
  func matrix(from M: [Double], n: Int) -> [Double] {
    switch self {
    case .general, .even, .oddTeacher:
      return M
    case .skew:
      var A = M
      for i in 0..<n {
        for j in 0..<n { A[i * n + j] = (M[i * n + j] - M[j * n + i]) / 2 }
      }
      return A
    case .mass:
      var A = M
      for j in 0..<n {
        var s = 0.0
        for i in 0..<n { s += M[i * n + j] }
        let mean = s / Double(n)
        for i in 0..<n { A[i * n + j] = M[i * n + j] - mean }
      }
      return A
    case .laplacian:
      var A = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        A[i * n + (i + n - 1) % n] += 1
        A[i * n + i] -= 2
        A[i * n + (i + 1) % n] += 1
      }
      return A
    }
  }
}
