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
    for o in 0..<rows {
      let z = Z + o * m
      let bias = b?[o] ?? 0
      for s in 0..<m { z[s] = bias }
      let w = W + o * inner
      for l in 0..<inner {
        let wl = w[l]
        let x = X + l * m
        for s in 0..<m { z[s] += wl * x[s] }
      }
    }
  }

  /// In-place ReLU.
  @inlinable
  public static func relu(_ Z: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { Z[i] = Z[i] > 0 ? Z[i] : 0 }
  }

  /// gW += G·Xᵀ and gb += rowsum(G): G is rows×m, X is inner×m, gW is rows×inner.
  @inlinable
  public static func accumulateWeightGradient(
    _ G: UnsafePointer<Double>, rows: Int, _ X: UnsafePointer<Double>, inner: Int, m: Int,
    gW: UnsafeMutablePointer<Double>, gb: UnsafeMutablePointer<Double>?
  ) {
    for o in 0..<rows {
      let g = G + o * m
      if let gb { gb[o] += sum(g, m) }
      let gw = gW + o * inner
      for l in 0..<inner { gw[l] += dot(g, X + l * m, m) }
    }
  }

  /// D = Wᵀ·G, then D ⊙= [H > 0] when `mask` is given: W is rows×inner, G is rows×m, D inner×m.
  @inlinable
  public static func backpropagate(
    _ W: UnsafePointer<Double>, rows: Int, inner: Int, _ G: UnsafePointer<Double>, m: Int,
    into D: UnsafeMutablePointer<Double>, mask H: UnsafePointer<Double>?
  ) {
    D.update(repeating: 0, count: inner * m)
    for o in 0..<rows {
      let g = G + o * m
      let w = W + o * inner
      for l in 0..<inner {
        let wl = w[l]
        let d = D + l * m
        for s in 0..<m { d[s] += wl * g[s] }
      }
    }
    if let H {
      for i in 0..<(inner * m) where !(H[i] > 0) { D[i] = 0 }
    }
  }

  /// Σ a[i]·b[i] with four interleaved partial sums (fixed order, so reproducible).
  @inlinable
  public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var i = 0
    while i + 4 <= n {
      s0 += a[i] * b[i]
      s1 += a[i + 1] * b[i + 1]
      s2 += a[i + 2] * b[i + 2]
      s3 += a[i + 3] * b[i + 3]
      i += 4
    }
    while i < n {
      s0 += a[i] * b[i]
      i += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// Σ a[i] with four interleaved partial sums.
  @inlinable
  public static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var i = 0
    while i + 4 <= n {
      s0 += a[i]
      s1 += a[i + 1]
      s2 += a[i + 2]
      s3 += a[i + 3]
      i += 4
    }
    while i < n {
      s0 += a[i]
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
