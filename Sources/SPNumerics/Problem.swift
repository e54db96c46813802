/// The reference problem of the seed: f(x) = A x with A = randn(n, n), a fixed validation input,
/// and the fixed probe inputs of the structure checks. Every model of a session shares it.
///
/// Draw order from `Xoshiro256(seed: seed)`: A (row by row), xvalid, then the additivity pair
/// x and y, then the homogeneity input.
public struct Problem: Hashable, Sendable {
  public let n: Int
  public let seed: UInt64
  /// A, n×n row-major.
  public let A: [Double]
  public let xvalid: [Double]
  /// f(xvalid) = A xvalid.
  public let fvalid: [Double]
  public let probe: Probe

  public init(
    n: Int, seed: UInt64, lambdaCount: Int = 100, lambdaRange: ClosedRange<Double> = -10...10
  ) {
    precondition(n > 0, "n must be positive")
    var rng = Xoshiro256(seed: seed)
    self.n = n
    self.seed = seed
    A = (0..<(n * n)).map { _ in rng.normal() }
    xvalid = (0..<n).map { _ in rng.normal() }
    let ax = (0..<n).map { _ in rng.normal() }
    let ay = (0..<n).map { _ in rng.normal() }
    let hx = (0..<n).map { _ in rng.normal() }
    probe = Probe(
      additivityX: ax, additivityY: ay, homogeneityX: hx,
      lambdas: Probe.linRange(lambdaRange.lowerBound, lambdaRange.upperBound, lambdaCount))
    var f = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var s = 0.0
      for j in 0..<n { s += A[i * n + j] * xvalid[j] }
      f[i] = s
    }
    fvalid = f
  }

  /// The seed for model slot `slot` of a session (its initial parameters, its samples, its λs):
  /// the first output of SplitMix64(seed + golden·(slot + 1)), so slots are independent streams.
  public static func modelSeed(_ seed: UInt64, slot: Int) -> UInt64 {
    var sm = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(slot + 1))
    return sm.next()
  }

  /// F = A X for the m columns of X (n×m feature-major).
  public func target(_ X: UnsafePointer<Double>, m: Int, into F: UnsafeMutablePointer<Double>) {
    A.withUnsafeBufferPointer { a in
      Kernels.affine(a.baseAddress!, nil, rows: n, inner: n, X, m: m, into: F)
    }
  }
}

/// The fixed inputs of the structure checks.
public struct Probe: Hashable, Sendable {
  /// The pair (x, y) of the additivity error.
  public let additivityX: [Double]
  public let additivityY: [Double]
  /// The x of the homogeneity error.
  public let homogeneityX: [Double]
  /// λ values of the homogeneity curve: LinRange(−10, 10, 100) by default (0 is not among them).
  public let lambdas: [Double]

  /// Julia's LinRange: (1 − t)·a + t·b with t = k/(count − 1); both ends exact.
  public static func linRange(_ a: Double, _ b: Double, _ count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [a] : [] }
    let d = Double(count - 1)
    return (0..<count).map { k in
      let t = Double(k) / d
      return (1 - t) * a + t * b
    }
  }
}
