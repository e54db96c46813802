#if !arch(x86_64)
  #error("sptop's structure verdict evaluates models in Float80, which needs x86-64")
#endif

/// The dense product in extended precision (x87 `Float80`, a 64-bit significand: unit roundoff
/// 2⁻⁶⁴ against float64's 2⁻⁵³), for Double parameters: what the structure verdict re-evaluates
/// a model with (see SPNumerics, `ModelDiagnostics.verdict`). It lives here because this module
/// is optimised in every build, debug included; it is not on the training path.
public enum ExtendedProduct {
  /// Z[r, s] = b[r] + Σ_l W[r·inner + l] · X[l·m + s] for r < rows, s < m, every operation in
  /// Float80 (the Double weights and biases are exact in Float80).
  @inlinable
  public static func affine(
    _ W: UnsafePointer<Double>, _ b: UnsafePointer<Double>?, rows: Int, inner: Int,
    _ X: UnsafePointer<Float80>, m: Int, into Z: UnsafeMutablePointer<Float80>
  ) {
    for r in 0..<rows {
      let z = Z + r * m
      let start = b.map { Float80($0[r]) } ?? 0
      for s in 0..<m { z[s] = start }
      let w = W + r * inner
      for l in 0..<inner {
        let a = Float80(w[l])
        if a == 0 { continue }
        let x = X + l * m
        for s in 0..<m { z[s] += a * x[s] }
      }
    }
  }

  /// Z = max(Z, 0) elementwise.
  @inlinable
  public static func relu(_ Z: UnsafeMutablePointer<Float80>, count: Int) {
    for i in 0..<count where Z[i] < 0 { Z[i] = 0 }
  }
}
