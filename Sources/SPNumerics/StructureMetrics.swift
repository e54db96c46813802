/// Structure errors of a model on the fixed probe inputs, as defined in the seed.
///
/// - additivity: ‖NN(x + y) − NN(x) − NN(y)‖ / ‖NN(x) + NN(y)‖
/// - homogeneity(λ): ‖NN(λx) − λ NN(x)‖ / ‖λ NN(x)‖, for each probe λ ≠ 0; λ = 0 is skipped
///   (NaN, JSON null): there the error would be ‖NN(0)‖ / 0, and `ModelDiagnostics.offset` reports
///   ‖NN(0)‖ on its own.
///
/// A zero denominator gives 0 when the numerator is 0 too and +∞ otherwise (JSON: null).
public struct StructureMetrics: Hashable, Sendable {
  public var additivity: Double
  public var homogeneity: [Double]
  /// The λ of each homogeneity entry when known (empty otherwise); entries at λ = 0 are skipped
  /// by `maxHomogeneity`.
  public var lambdas: [Double]

  public init(additivity: Double, homogeneity: [Double], lambdas: [Double] = []) {
    self.additivity = additivity
    self.homogeneity = homogeneity
    self.lambdas = lambdas
  }

  /// The largest homogeneity error over λ ≠ 0 (NaN propagates).
  public var maxHomogeneity: Double {
    var m = 0.0
    for (k, h) in homogeneity.enumerated()
    where lambdas.count != homogeneity.count || lambdas[k] != 0 {
      m = m.isNaN || h.isNaN ? .nan : max(m, h)
    }
    return m
  }

  /// num / den with the zero-denominator convention above.
  @inlinable
  public static func relative(_ num: Double, _ den: Double) -> Double {
    if den == 0 { return num == 0 ? 0 : .infinity }
    return num / den
  }

  /// Probe columns: x, y, x + y, xh, then λ_k·xh for every λ (n × (4 + L), feature-major).
  public static func probeMatrix(_ probe: Probe, n: Int) -> [Double] {
    probeMatrix(probe, n: n, columns: 4 + probe.lambdas.count)
  }

  /// The same columns first in an n × `columns` matrix (the others 0), in Double or Float80 (x +
  /// y and λ_k·xh then formed in Float80).
  static func probeMatrix<T: BinaryFloatingPoint>(_ probe: Probe, n: Int, columns cols: Int)
    -> [T]
  {
    var P = [T](repeating: 0, count: n * cols)
    for i in 0..<n {
      let x = T(probe.additivityX[i])
      let y = T(probe.additivityY[i])
      let h = T(probe.homogeneityX[i])
      P[i * cols] = x
      P[i * cols + 1] = y
      P[i * cols + 2] = x + y
      P[i * cols + 3] = h
      for (k, l) in probe.lambdas.enumerated() { P[i * cols + 4 + k] = T(l) * h }
    }
    return P
  }

  /// The metrics from Y = NN(probeMatrix) (n × `columns`, whose first 4 + L columns are laid
  /// out as `probeMatrix`'s; `columns` defaults to 4 + L).
  public static func from(
    outputs Y: UnsafePointer<Double>, n: Int, lambdas: [Double], columns: Int? = nil
  ) -> StructureMetrics {
    let cols = columns ?? 4 + lambdas.count
    var num = 0.0
    var den = 0.0
    var numScale = [Double](repeating: 0, count: n)
    var denScale = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let r = Y[i * cols]
      let s = Y[i * cols + 1]
      numScale[i] = Y[i * cols + 2] - r - s
      denScale[i] = r + s
    }
    num = numScale.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, n) }
    den = denScale.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, n) }
    let additivity = relative(num, den)
    var homogeneity = [Double](repeating: 0, count: lambdas.count)
    for (k, l) in lambdas.enumerated() {
      if l == 0 {
        homogeneity[k] = .nan
        continue
      }
      for i in 0..<n {
        let nx = Y[i * cols + 3]
        numScale[i] = Y[i * cols + 4 + k] - l * nx
        denScale[i] = l * nx
      }
      let a = numScale.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, n) }
      let b = denScale.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, n) }
      // With finite parameters and inputs a NaN can only come from an output that overflowed
      // (λ = ±1e308): infinitely wrong, reported as +∞ like a zero denominator.
      let e = relative(a, b)
      homogeneity[k] = e.isNaN ? .infinity : e
    }
    return StructureMetrics(additivity: additivity, homogeneity: homogeneity, lambdas: lambdas)
  }
}
