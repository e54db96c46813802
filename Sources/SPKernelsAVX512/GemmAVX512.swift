import SPKernels

/// `Gemm.combine` with eight doubles per vector. This module alone is compiled for x86-64-v4
/// (AVX-512 F/BW/CD/DQ/VL); nothing here may run unless `Kernels.avx512Available` (in
/// SPNumerics, asking CPlatform) said the processor and the operating system support it. The
/// function is deliberately not inlinable, so its code is generated here, with this module's
/// instruction set, never inside a caller built for less.
public enum GemmAVX512 {
  public static func combine(
    _ W: UnsafePointer<Double>, rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>?,
    rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>
  ) {
    Gemm.combine(
      SIMD8<Double>.self, W, rowStride: rowStride, columnStride: columnStride, b, rows: rows,
      inner: inner, X, m: m, into: Z)
  }
}
