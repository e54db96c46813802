import SPKernels

/// The seed's three-layer ReLU network `B3 σ(B2 σ(B1 x + b1) + b2) + b3` with hidden width w
/// (B1 w×n, B2 w×w, B3 n×w), with or without the biases, as kernels shared by the architectures
/// built on it: forward with the activations the pullback needs, and the pullback.
public struct MLP: Hashable, Sendable {
  public let n: Int
  /// Hidden width w (units per hidden layer).
  public let width: Int
  /// False for the bias-free network `B3 σ(B2 σ(B1 x))` (layout B1, B2, B3 only).
  public let biases: Bool

  public init(n: Int, width: Int? = nil, biases: Bool = true) {
    self.n = n
    self.width = width ?? n
    self.biases = biases
  }

  public static let formula = "B3 σ(B2 σ(B1 x + b1) + b2) + b3"
  public static let biasFreeFormula = "B3 σ(B2 σ(B1 x))"

  public var layout: ParameterLayout {
    let w = width
    if !biases { return ParameterLayout([("B1", w, n), ("B2", w, w), ("B3", n, w)]) }
    return ParameterLayout([
      ("B1", w, n), ("b1", w, nil), ("B2", w, w), ("b2", w, nil), ("B3", n, w), ("b3", n, nil),
    ])
  }

  /// ReLU units: two hidden layers of w.
  public var reluUnits: Int { 2 * width }

  /// Offsets of B1, b1, B2, b2, B3, b3 in the flat vector (layout order; the bias offsets are
  /// unused without biases).
  @inlinable var offsets: (Int, Int, Int, Int, Int, Int) {
    LaneMLP.layout(n: n, width: width, biases: biases).offsets
  }

  /// Activations kept for the pullback: H1, H2 (w×m each).
  public func cacheSize(batch m: Int) -> Int { 2 * width * m }

  /// Scratch of the pullback: D2, D1 (w×m each) and a transposed input (max(n, w)×m).
  public func scratchSize(batch m: Int) -> Int { (2 * width + max(n, width)) * m }

  /// Forward pass; stores H1 and H2 at `cache` (w×m each), writes Y.
  @inlinable
  public func forward(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, cache: UnsafeMutablePointer<Double>
  ) {
    forward(Kernels.self, p, X, m: m, into: Y, hidden: cache)
  }

  /// The forward pass in Float80 (`ExtendedProduct`), for the structure verdict: Y = NN(X).
  public func forwardExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    let H = UnsafeMutablePointer<Float80>.allocate(capacity: 2 * width * m)
    defer { H.deallocate() }
    forward(ExtendedProduct.self, p, X, m: m, into: Y, hidden: H)
  }

  /// The three layers on `kernels`' scalar, H1 and H2 kept at `H` (w×m each).
  @inlinable
  func forward<K: LayerKernels>(
    _ kernels: K.Type, _ p: UnsafePointer<Double>, _ X: UnsafePointer<K.Scalar>, m: Int,
    into Y: UnsafeMutablePointer<K.Scalar>, hidden H: UnsafeMutablePointer<K.Scalar>
  ) {
    let (oB1, ob1, oB2, ob2, oB3, ob3) = offsets
    let w = width
    let H1 = H
    let H2 = H + w * m
    K.affine(p + oB1, biases ? p + ob1 : nil, rows: w, inner: n, X, m: m, into: H1)
    K.relu(H1, count: w * m)
    K.affine(p + oB2, biases ? p + ob2 : nil, rows: w, inner: w, UnsafePointer(H1), m: m, into: H2)
    K.relu(H2, count: w * m)
    K.affine(p + oB3, biases ? p + ob3 : nil, rows: n, inner: w, UnsafePointer(H2), m: m, into: Y)
  }

  /// Sets `active[u] = true` for every unit u (H1's rows, then H2's) that is positive in at least
  /// one of the m columns of the forward cache.
  @inlinable
  public func markActive(
    cache: UnsafePointer<Double>, m: Int, into active: UnsafeMutablePointer<Bool>
  ) {
    for u in 0..<(2 * width) where !active[u] {
      let row = cache + u * m
      for s in 0..<m where row[s] > 0 {
        active[u] = true
        break
      }
    }
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
    let w = width
    let H1 = cache
    let H2 = cache + w * m
    let D2 = scratch
    let D1 = scratch + w * m
    let T = scratch + 2 * w * m
    Kernels.weightGradient(
      G, rows: n, H2, inner: w, m: m, gW: grad + oB3, gb: biases ? grad + ob3 : nil, scratch: T)
    Kernels.backpropagate(p + oB3, rows: n, inner: w, G, m: m, into: D2, mask: H2)
    Kernels.weightGradient(
      UnsafePointer(D2), rows: w, H1, inner: w, m: m, gW: grad + oB2,
      gb: biases ? grad + ob2 : nil, scratch: T)
    Kernels.backpropagate(p + oB2, rows: w, inner: w, UnsafePointer(D2), m: m, into: D1, mask: H1)
    Kernels.weightGradient(
      UnsafePointer(D1), rows: w, X, inner: n, m: m, gW: grad + oB1,
      gb: biases ? grad + ob1 : nil, scratch: T)
  }

  /// The plain loss of a forward pass: with Y = NN(X) in `G`, returns (1/m) Σ_s ‖y_s − f_s‖²
  /// and overwrites G with ∂L/∂Y = (2/m)(Y − F) (`count` = n·m entries).
  @inlinable
  public static func squaredError(
    _ G: UnsafeMutablePointer<Double>, targets F: UnsafePointer<Double>, count: Int, m: Int
  ) -> Double {
    let scale = 2 / Double(m)
    var loss = 0.0
    for i in 0..<count {
      let r = G[i] - F[i]
      loss += r * r
      G[i] = scale * r
    }
    return loss / Double(m)
  }
}

/// The dense layers' two kernel sets: `Kernels` (float64, the training path) and
/// `ExtendedProduct` (Float80, the verdict's reference). The MLP's layers are written once
/// over them (`MLP.forward(_:…)`) and specialised for each.
public protocol LayerKernels {
  associatedtype Scalar
  /// Z = W·X (+ b): W is rows×inner (row-major), X is inner×m, Z is rows×m.
  static func affine(
    _ W: UnsafePointer<Double>, _ b: UnsafePointer<Double>?, rows: Int, inner: Int,
    _ X: UnsafePointer<Scalar>, m: Int, into Z: UnsafeMutablePointer<Scalar>)
  /// In-place ReLU.
  static func relu(_ Z: UnsafeMutablePointer<Scalar>, count: Int)
}

extension Kernels: LayerKernels {}
extension ExtendedProduct: LayerKernels {}
