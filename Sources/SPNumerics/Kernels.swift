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
  /// Rows are taken two at a time and the batch in blocks of 16 and then 4 columns whose running
  /// sums stay in vector registers across the whole inner loop, so each X element loaded serves
  /// two rows and Z is written once. Every path — paired or single row, 16, 4 or 1 column —
  /// adds the same products in the same order (l ascending) with fused multiply-adds, so all of
  /// them give identical bits.
  @inlinable
  public static func combine(
    _ W: UnsafePointer<Double>, rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>?,
    rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>
  ) {
    var r = 0
    while r + 2 <= rows {
      combinePair(
        W + r * rowStride, W + (r + 1) * rowStride, columnStride: columnStride,
        b?[r] ?? 0, b?[r + 1] ?? 0, inner: inner, X, m: m, into: Z + r * m, Z + (r + 1) * m)
      r += 2
    }
    if r < rows {
      combineSingle(
        W + r * rowStride, columnStride: columnStride, b?[r] ?? 0, inner: inner, X, m: m,
        into: Z + r * m)
    }
  }

  @inlinable @inline(__always)
  static func load4(_ raw: UnsafeRawPointer, _ index: Int) -> SIMD4<Double> {
    raw.loadUnaligned(fromByteOffset: index * 8, as: SIMD4<Double>.self)
  }

  @inlinable @inline(__always)
  static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
  }

  /// Two rows of `combine` (weights at `wa`, `wb`) into `za`, `zb`.
  @inlinable
  static func combinePair(
    _ wa: UnsafePointer<Double>, _ wb: UnsafePointer<Double>, columnStride cs: Int,
    _ ba: Double, _ bb: Double, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into za: UnsafeMutablePointer<Double>, _ zb: UnsafeMutablePointer<Double>
  ) {
    let raw = UnsafeRawPointer(X)
    var s = 0
    while s + 16 <= m {
      var a0 = SIMD4<Double>(repeating: ba)
      var a1 = a0
      var a2 = a0
      var a3 = a0
      var b0 = SIMD4<Double>(repeating: bb)
      var b1 = b0
      var b2 = b0
      var b3 = b0
      for l in 0..<inner {
        let o = l * m + s
        let x0 = load4(raw, o)
        let x1 = load4(raw, o + 4)
        let x2 = load4(raw, o + 8)
        let x3 = load4(raw, o + 12)
        let u = SIMD4<Double>(repeating: wa[l * cs])
        let v = SIMD4<Double>(repeating: wb[l * cs])
        a0 = a0.addingProduct(u, x0)
        a1 = a1.addingProduct(u, x1)
        a2 = a2.addingProduct(u, x2)
        a3 = a3.addingProduct(u, x3)
        b0 = b0.addingProduct(v, x0)
        b1 = b1.addingProduct(v, x1)
        b2 = b2.addingProduct(v, x2)
        b3 = b3.addingProduct(v, x3)
      }
      store4(a0, za + s)
      store4(a1, za + s + 4)
      store4(a2, za + s + 8)
      store4(a3, za + s + 12)
      store4(b0, zb + s)
      store4(b1, zb + s + 4)
      store4(b2, zb + s + 8)
      store4(b3, zb + s + 12)
      s += 16
    }
    while s + 4 <= m {
      var a = SIMD4<Double>(repeating: ba)
      var b = SIMD4<Double>(repeating: bb)
      for l in 0..<inner {
        let x = load4(raw, l * m + s)
        a = a.addingProduct(SIMD4(repeating: wa[l * cs]), x)
        b = b.addingProduct(SIMD4(repeating: wb[l * cs]), x)
      }
      store4(a, za + s)
      store4(b, zb + s)
      s += 4
    }
    while s < m {
      var a = ba
      var b = bb
      for l in 0..<inner {
        let x = X[l * m + s]
        a = a.addingProduct(wa[l * cs], x)
        b = b.addingProduct(wb[l * cs], x)
      }
      za[s] = a
      zb[s] = b
      s += 1
    }
  }

  /// One row of `combine`.
  @inlinable
  static func combineSingle(
    _ wa: UnsafePointer<Double>, columnStride cs: Int, _ ba: Double, inner: Int,
    _ X: UnsafePointer<Double>, m: Int, into za: UnsafeMutablePointer<Double>
  ) {
    let raw = UnsafeRawPointer(X)
    var s = 0
    while s + 16 <= m {
      var a0 = SIMD4<Double>(repeating: ba)
      var a1 = a0
      var a2 = a0
      var a3 = a0
      for l in 0..<inner {
        let o = l * m + s
        let u = SIMD4<Double>(repeating: wa[l * cs])
        a0 = a0.addingProduct(u, load4(raw, o))
        a1 = a1.addingProduct(u, load4(raw, o + 4))
        a2 = a2.addingProduct(u, load4(raw, o + 8))
        a3 = a3.addingProduct(u, load4(raw, o + 12))
      }
      store4(a0, za + s)
      store4(a1, za + s + 4)
      store4(a2, za + s + 8)
      store4(a3, za + s + 12)
      s += 16
    }
    while s + 4 <= m {
      var a = SIMD4<Double>(repeating: ba)
      for l in 0..<inner {
        a = a.addingProduct(SIMD4(repeating: wa[l * cs]), load4(raw, l * m + s))
      }
      store4(a, za + s)
      s += 4
    }
    while s < m {
      var a = ba
      for l in 0..<inner { a = a.addingProduct(wa[l * cs], X[l * m + s]) }
      za[s] = a
      s += 1
    }
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
