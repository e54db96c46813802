/// The seed's three-layer ReLU network `B3 σ(B2 σ(B1 x + b1) + b2) + b3` as kernels shared by the
/// architectures built on it: forward with the activations the pullback needs, and the pullback.
public struct MLP: Hashable, Sendable {
  public let n: Int

  public init(n: Int) { self.n = n }

  public static let formula = "B3 σ(B2 σ(B1 x + b1) + b2) + b3"

  public var layout: ParameterLayout {
    ParameterLayout([
      ("B1", n, n), ("b1", n, nil), ("B2", n, n), ("b2", n, nil), ("B3", n, n), ("b3", n, nil),
    ])
  }

  /// Offsets of B1, b1, B2, b2, B3, b3 in the flat vector (layout order).
  @inlinable var offsets: (Int, Int, Int, Int, Int, Int) {
    let nn = n * n
    return (0, nn, nn + n, 2 * nn + n, 2 * nn + 2 * n, 3 * nn + 2 * n)
  }

  /// Activations kept for the pullback: H1, H2 (n×m each).
  public func cacheSize(batch m: Int) -> Int { 2 * n * m }

  /// Scratch of the pullback: D2, D1 and a transposed input (n×m each).
  public func scratchSize(batch m: Int) -> Int { 3 * n * m }

  /// Forward pass; stores H1 and H2 at `cache` (n×m each), writes Y.
  @inlinable
  public func forward(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, cache: UnsafeMutablePointer<Double>
  ) {
    let (oB1, ob1, oB2, ob2, oB3, ob3) = offsets
    let H1 = cache
    let H2 = cache + n * m
    Kernels.affine(p + oB1, p + ob1, rows: n, inner: n, X, m: m, into: H1)
    Kernels.relu(H1, count: n * m)
    Kernels.affine(p + oB2, p + ob2, rows: n, inner: n, UnsafePointer(H1), m: m, into: H2)
    Kernels.relu(H2, count: n * m)
    Kernels.affine(p + oB3, p + ob3, rows: n, inner: n, UnsafePointer(H2), m: m, into: Y)
  }

  /// Pullback: writes ∂⟨G, NN(X)⟩/∂θ to `grad`, given G = ∂L/∂Y (n×m) and the forward cache.
  /// `scratch` holds `scratchSize(batch: m)` doubles.
  @inlinable
  public func pullback(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int, G: UnsafePointer<Double>,
    cache: UnsafePointer<Double>, grad: UnsafeMutablePointer<Double>,
    scratch: UnsafeMutablePointer<Double>
  ) {
    let (oB1, ob1, oB2, ob2, oB3, ob3) = offsets
    let H1 = cache
    let H2 = cache + n * m
    let D2 = scratch
    let D1 = scratch + n * m
    let T = scratch + 2 * n * m
    Kernels.weightGradient(
      G, rows: n, H2, inner: n, m: m, gW: grad + oB3, gb: grad + ob3, scratch: T)
    Kernels.backpropagate(p + oB3, rows: n, inner: n, G, m: m, into: D2, mask: H2)
    Kernels.weightGradient(
      UnsafePointer(D2), rows: n, H1, inner: n, m: m, gW: grad + oB2, gb: grad + ob2, scratch: T)
    Kernels.backpropagate(p + oB2, rows: n, inner: n, UnsafePointer(D2), m: m, into: D1, mask: H1)
    Kernels.weightGradient(
      UnsafePointer(D1), rows: n, X, inner: n, m: m, gW: grad + oB1, gb: grad + ob1, scratch: T)
  }
}
