import CPlatform
import SPKernels
import SPKernelsAVX512

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Dense kernels on feature-major batches: a batch of m samples in n features is an n×m row-major
/// matrix whose column s is sample s, so every inner loop runs along the batch, contiguous.
///
/// All loops have a fixed order, so results are bit-for-bit reproducible on one build.
public enum Kernels {
  /// Z = W·X (+ b): W is rows×inner (row-major), X is inner×m, Z is rows×m.
  @inlinable
  public static func affine(
    _ W: UnsafePointer<Double>, _ b: UnsafePointer<Double>?, rows: Int, inner: Int,
    _ X: UnsafePointer<Double>, m: Int, into Z: UnsafeMutablePointer<Double>
  ) {
    combine(W, rowStride: inner, columnStride: 1, b, rows: rows, inner: inner, X, m: m, into: Z)
  }

  /// Z[r, s] = b[r] + Σ_l W[r·rowStride + l·columnStride] · X[l, s] for r < rows, s < m.
  ///
  /// `Gemm.combine` (see SPKernels) with eight doubles per vector where the processor has
  /// AVX-512, four otherwise; both give identical bits. `path` picks one (tests and benchmarks);
  /// `.avx512` on a processor without it runs the four-double instance.
  @inlinable
  public static func combine(
    _ W: UnsafePointer<Double>, rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>?,
    rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>, using path: Path = Kernels.path
  ) {
    if path == .avx512 && avx512Available {
      GemmAVX512.combine(
        W, rowStride: rowStride, columnStride: columnStride, b, rows: rows, inner: inner, X, m: m,
        into: Z)
    } else {
      GemmAVX2.combine(
        W, rowStride: rowStride, columnStride: columnStride, b, rows: rows, inner: inner, X, m: m,
        into: Z)
    }
  }

  /// Which instance of the dense product runs.
  public enum Path: String, Sendable {
    /// Four doubles per vector (AVX2 and FMA, the build's baseline).
    case avx2
    /// Eight doubles per vector (AVX-512 F/BW/CD/DQ/VL).
    case avx512
  }

  /// True when the processor and the operating system support AVX-512 (F/BW/CD/DQ/VL).
  public static let avx512Available = sptop_cpu_has_avx512() != 0

  /// The instance `combine` runs by default: AVX-512 where available, unless the environment says
  /// `SPTOP_KERNELS=avx2` (to measure or check the baseline on a machine that has both). Chosen
  /// once, when first used.
  public static let path: Path = {
    if let asked = getenv("SPTOP_KERNELS"), String(cString: asked) == Path.avx2.rawValue {
      return .avx2
    }
    return avx512Available ? .avx512 : .avx2
  }()

  /// Four doubles from `p + i` (any alignment).
  @inlinable @inline(__always)
  static func load4(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
  }

  @inlinable @inline(__always)
  static func load4(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> SIMD4<Double> {
    load4(UnsafePointer(p), i)
  }

  @inlinable @inline(__always)
  static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
  }

  /// Whether every value an update would write is finite, without a branch per value: `block(i)`
  /// gives (y − y) for the four values at i…i+3 and `scalar(i)` for one value at i, which is 0
  /// for a finite y and NaN for ±∞ or NaN, so the sum of them all is finite exactly when every y
  /// is. Four independent sums let the additions overlap rather than wait on each other; the
  /// three optimisers share this one loop.
  @inlinable @inline(__always)
  static func allFinite(
    count: Int, _ block: (Int) -> SIMD4<Double>, scalar: (Int) -> Double
  ) -> Bool {
    var c0 = SIMD4<Double>(repeating: 0)
    var c1 = c0
    var c2 = c0
    var c3 = c0
    var i = 0
    while i + 16 <= count {
      c0 += block(i)
      c1 += block(i + 4)
      c2 += block(i + 8)
      c3 += block(i + 12)
      i += 16
    }
    while i + 4 <= count {
      c0 += block(i)
      i += 4
    }
    var tail = 0.0
    while i < count {
      tail += scalar(i)
      i += 1
    }
    return ((c0 + c1) + (c2 + c3)).sum().isFinite && tail.isFinite
  }

  /// In-place ReLU.
  @inlinable
  public static func relu(_ Z: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { Z[i] = Z[i] > 0 ? Z[i] : 0 }
  }

  /// gW = G·Xᵀ and gb = rowsum(G) (written, not added): G is rows×m, X is inner×m, gW is
  /// rows×inner. X is first transposed into `scratch` (m×inner doubles) so that the product runs
  /// through `combine`, vectorised along the columns of gW.
  @inlinable
  public static func weightGradient(
    _ G: UnsafePointer<Double>, rows: Int, _ X: UnsafePointer<Double>, inner: Int, m: Int,
    gW: UnsafeMutablePointer<Double>, gb: UnsafeMutablePointer<Double>?,
    scratch XT: UnsafeMutablePointer<Double>
  ) {
    for l in 0..<inner {
      let x = X + l * m
      for s in 0..<m { XT[s * inner + l] = x[s] }
    }
    combine(
      G, rowStride: m, columnStride: 1, nil, rows: rows, inner: m, UnsafePointer(XT), m: inner,
      into: gW)
    if let gb {
      for o in 0..<rows { gb[o] = sum(G + o * m, m) }
    }
  }

  /// D = Wᵀ·G, then D ⊙= [H > 0] when `mask` is given: W is rows×inner, G is rows×m, D inner×m.
  @inlinable
  public static func backpropagate(
    _ W: UnsafePointer<Double>, rows: Int, inner: Int, _ G: UnsafePointer<Double>, m: Int,
    into D: UnsafeMutablePointer<Double>, mask H: UnsafePointer<Double>?
  ) {
    combine(W, rowStride: 1, columnStride: inner, nil, rows: inner, inner: rows, G, m: m, into: D)
    if let H {
      for i in 0..<(inner * m) where !(H[i] > 0) { D[i] = 0 }
    }
  }

  /// Σ a[i]·b[i] with four interleaved partial sums (fixed order, so reproducible).
  @inlinable
  public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double
  {
    interleavedSum(n) { a[$0] * b[$0] }
  }

  /// Σ a[i] with four interleaved partial sums.
  @inlinable
  public static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    interleavedSum(n) { a[$0] }
  }

  /// Σ term(i) for i < n in four partial sums, term i going to sum i mod 4 (the tail to the
  /// first), added as (s0 + s1) + (s2 + s3): the fixed order `dot` and `sum` share.
  @inlinable @inline(__always)
  static func interleavedSum(_ n: Int, _ term: (Int) -> Double) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var i = 0
    while i + 4 <= n {
      s0 += term(i)
      s1 += term(i + 1)
      s2 += term(i + 2)
      s3 += term(i + 3)
      i += 4
    }
    while i < n {
      s0 += term(i)
      i += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// Euclidean norm, scaled so that it neither overflows nor underflows for finite inputs.
  @inlinable
  public static func norm(_ a: UnsafePointer<Double>, _ n: Int, stride: Int = 1) -> Double {
    var scale = 0.0
    for i in 0..<n {
      let v = abs(a[i * stride])
      if v.isNaN { return .nan }
      if v > scale { scale = v }
    }
    if scale == 0 || !scale.isFinite { return scale }
    var s = 0.0
    for i in 0..<n {
      let v = a[i * stride] / scale
      s += v * v
    }
    return scale * s.squareRoot()
  }
}
