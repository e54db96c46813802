/// The one dense product every model spends its time in, register-tiled and generic over the
/// vector type: `GemmAVX2` (below) instantiates it with four doubles and `GemmAVX512` (module
/// SPKernelsAVX512) with eight; `Kernels.combine` in SPNumerics picks one when the program starts.
///
/// Z[r, s] = b[r] + Σ_l W[r·rowStride + l·columnStride] · X[l·m + s] for r < rows, s < m.
///
/// Every output element is one chain of fused multiply-adds started at b[r], l ascending, in
/// every path (vector width, tile shape, scalar tail), so all paths give identical bits and a
/// result never depends on the machine's vector width.
///
/// Tiling: the m columns are covered by ⌈m/w⌉ vectors of w doubles, the last one moved back to
/// end at column m (it overlaps its neighbour and recomputes the same values). The vectors are
/// taken in chunks of 3 (eight-double vectors) or 4 (four-double vectors), the last chunk taking
/// what is left (1–5); chunks of 4 or 5 run 2 rows per tile, chunks of 1–3 run 4, so a tile has
/// 8 to 12 independent sums: enough to keep both FMA units busy (latency 4) while each X vector
/// loaded serves every row of the tile. A tile past the last row repeats that row (the same
/// value, stored twice). m below w falls to half-width vectors, then to a scalar loop over 8 rows
/// at a time.
public enum Gemm {
  @inlinable
  public static func combine<V: SIMD>(
    _: V.Type, _ W: UnsafePointer<Double>, rowStride: Int, columnStride: Int,
    _ b: UnsafePointer<Double>?, rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>
  ) where V.Scalar == Double {
    guard rows > 0, m > 0 else { return }
    let w = V.scalarCount
    if m < w {
      if w > 4 && m >= 4 {
        combine(
          SIMD4<Double>.self, W, rowStride: rowStride, columnStride: columnStride, b, rows: rows,
          inner: inner, X, m: m, into: Z)
      } else {
        scalar(
          W, rowStride: rowStride, columnStride: columnStride, b, rows: rows, inner: inner, X,
          m: m, into: Z)
      }
      return
    }
    let vectors = (m + w - 1) / w
    var v = 0
    while v < vectors {
      let left = vectors - v
      // Eight-double vectors have 32 registers: 4 rows × 3 vectors (12 sums, 3 loads and 4
      // broadcasts per 12 FMAs). Four-double vectors have 16: 2 rows × 4 vectors.
      let chunk = left >= 6 ? (w >= 8 ? 3 : 4) : left
      let c = Columns(
        min(v * w, m - w), min((v + 1) * w, m - w), min((v + 2) * w, m - w),
        min((v + 3) * w, m - w), min((v + 4) * w, m - w))
      let rowsPerTile = chunk >= 4 ? 2 : 4
      var r = 0
      while r < rows {
        let t = Tile(
          W: W, rowStride: rowStride, columnStride: columnStride, b: b, rows: rows, first: r,
          inner: inner, X: UnsafeRawPointer(X), m: m, Z: Z)
        switch chunk {
        case 5: t.rows2(V.self, c, vectors: 5)
        case 4: t.rows2(V.self, c, vectors: 4)
        case 3: t.rows4(V.self, c, vectors: 3)
        case 2: t.rows4(V.self, c, vectors: 2)
        default: t.rows4(V.self, c, vectors: 1)
        }
        r += rowsPerTile
      }
      v += chunk
    }
  }

  /// Column offsets of up to five vectors of one chunk.
  @usableFromInline struct Columns {
    @usableFromInline let c0: Int, c1: Int, c2: Int, c3: Int, c4: Int
    @inlinable init(_ c0: Int, _ c1: Int, _ c2: Int, _ c3: Int, _ c4: Int) {
      (self.c0, self.c1, self.c2, self.c3, self.c4) = (c0, c1, c2, c3, c4)
    }
  }

  /// The rows `first`, `first + 1`, … of one tile (clamped to the last row).
  @usableFromInline struct Tile {
    @usableFromInline let W: UnsafePointer<Double>
    @usableFromInline let rowStride: Int
    @usableFromInline let columnStride: Int
    @usableFromInline let b: UnsafePointer<Double>?
    @usableFromInline let rows: Int
    @usableFromInline let first: Int
    @usableFromInline let inner: Int
    @usableFromInline let X: UnsafeRawPointer
    @usableFromInline let m: Int
    @usableFromInline let Z: UnsafeMutablePointer<Double>

    @inlinable init(
      W: UnsafePointer<Double>, rowStride: Int, columnStride: Int, b: UnsafePointer<Double>?,
      rows: Int, first: Int, inner: Int, X: UnsafeRawPointer, m: Int,
      Z: UnsafeMutablePointer<Double>
    ) {
      self.W = W
      self.rowStride = rowStride
      self.columnStride = columnStride
      self.b = b
      self.rows = rows
      self.first = first
      self.inner = inner
      self.X = X
      self.m = m
      self.Z = Z
    }

    @inlinable @inline(__always) func row(_ k: Int) -> Int { min(first + k, rows - 1) }
    @inlinable @inline(__always) func weights(_ k: Int) -> UnsafePointer<Double> {
      W + row(k) * rowStride
    }
    @inlinable @inline(__always) func bias(_ k: Int) -> Double { b?[row(k)] ?? 0 }
    @inlinable @inline(__always) func output(_ k: Int) -> UnsafeMutablePointer<Double> {
      Z + row(k) * m
    }
    /// The vector at byte offset `o` of one row of X (the row's address advanced by the loop:
    /// no multiplication and no overflow check in the inner loop).
    @inlinable @inline(__always) func load<V: SIMD>(
      _: V.Type, _ row: UnsafeRawPointer, _ o: Int
    ) -> V where V.Scalar == Double {
      row.loadUnaligned(fromByteOffset: o, as: V.self)
    }
    @inlinable @inline(__always) func store<V: SIMD>(
      _ v: V, _ p: UnsafeMutablePointer<Double>, _ c: Int
    ) where V.Scalar == Double {
      UnsafeMutableRawPointer(p + c).storeBytes(of: v, as: V.self)
    }

    /// Two rows × 4 or 5 vectors: 8 or 10 running sums.
    @inlinable @inline(__always)
    func rows2<V: SIMD>(_: V.Type, _ c: Columns, vectors: Int) where V.Scalar == Double {
      let cs = columnStride
      let step = m &* 8
      let (o0, o1, o2, o3, o4) = (c.c0 &* 8, c.c1 &* 8, c.c2 &* 8, c.c3 &* 8, c.c4 &* 8)
      let ba = V(repeating: bias(0))
      let bb = V(repeating: bias(1))
      var a0 = ba
      var a1 = ba
      var a2 = ba
      var a3 = ba
      var a4 = ba
      var b0 = bb
      var b1 = bb
      var b2 = bb
      var b3 = bb
      var b4 = bb
      var wa = weights(0)
      var wb = weights(1)
      var x = X
      if vectors == 5 {
        for _ in 0..<inner {
          let u = V(repeating: wa.pointee)
          let v = V(repeating: wb.pointee)
          let x0 = load(V.self, x, o0)
          a0 = a0.addingProduct(u, x0)
          b0 = b0.addingProduct(v, x0)
          let x1 = load(V.self, x, o1)
          a1 = a1.addingProduct(u, x1)
          b1 = b1.addingProduct(v, x1)
          let x2 = load(V.self, x, o2)
          a2 = a2.addingProduct(u, x2)
          b2 = b2.addingProduct(v, x2)
          let x3 = load(V.self, x, o3)
          a3 = a3.addingProduct(u, x3)
          b3 = b3.addingProduct(v, x3)
          let x4 = load(V.self, x, o4)
          a4 = a4.addingProduct(u, x4)
          b4 = b4.addingProduct(v, x4)
          wa += cs
          wb += cs
          x += step
        }
      } else {
        for _ in 0..<inner {
          let u = V(repeating: wa.pointee)
          let v = V(repeating: wb.pointee)
          let x0 = load(V.self, x, o0)
          a0 = a0.addingProduct(u, x0)
          b0 = b0.addingProduct(v, x0)
          let x1 = load(V.self, x, o1)
          a1 = a1.addingProduct(u, x1)
          b1 = b1.addingProduct(v, x1)
          let x2 = load(V.self, x, o2)
          a2 = a2.addingProduct(u, x2)
          b2 = b2.addingProduct(v, x2)
          let x3 = load(V.self, x, o3)
          a3 = a3.addingProduct(u, x3)
          b3 = b3.addingProduct(v, x3)
          wa += cs
          wb += cs
          x += step
        }
      }
      let za = output(0)
      let zb = output(1)
      store(a0, za, c.c0)
      store(a1, za, c.c1)
      store(a2, za, c.c2)
      store(a3, za, c.c3)
      store(b0, zb, c.c0)
      store(b1, zb, c.c1)
      store(b2, zb, c.c2)
      store(b3, zb, c.c3)
      if vectors == 5 {
        store(a4, za, c.c4)
        store(b4, zb, c.c4)
      }
    }

    /// Four rows × 1 to 3 vectors: 4 to 12 running sums.
    @inlinable @inline(__always)
    func rows4<V: SIMD>(_: V.Type, _ c: Columns, vectors: Int) where V.Scalar == Double {
      var w0 = weights(0)
      var w1 = weights(1)
      var w2 = weights(2)
      var w3 = weights(3)
      let cs = columnStride
      let step = m &* 8
      let (o0, o1, o2) = (c.c0 &* 8, c.c1 &* 8, c.c2 &* 8)
      var p = X
      @inline(__always) func advance() {
        w0 += cs
        w1 += cs
        w2 += cs
        w3 += cs
        p += step
      }
      var a0 = V(repeating: bias(0))
      var a1 = V(repeating: bias(1))
      var a2 = V(repeating: bias(2))
      var a3 = V(repeating: bias(3))
      var b0 = a0
      var b1 = a1
      var b2 = a2
      var b3 = a3
      var d0 = a0
      var d1 = a1
      var d2 = a2
      var d3 = a3
      switch vectors {
      case 3:
        for _ in 0..<inner {
          let x = load(V.self, p, o0)
          let y = load(V.self, p, o1)
          let z = load(V.self, p, o2)
          let u0 = V(repeating: w0.pointee)
          a0 = a0.addingProduct(u0, x)
          b0 = b0.addingProduct(u0, y)
          d0 = d0.addingProduct(u0, z)
          let u1 = V(repeating: w1.pointee)
          a1 = a1.addingProduct(u1, x)
          b1 = b1.addingProduct(u1, y)
          d1 = d1.addingProduct(u1, z)
          let u2 = V(repeating: w2.pointee)
          a2 = a2.addingProduct(u2, x)
          b2 = b2.addingProduct(u2, y)
          d2 = d2.addingProduct(u2, z)
          let u3 = V(repeating: w3.pointee)
          a3 = a3.addingProduct(u3, x)
          b3 = b3.addingProduct(u3, y)
          d3 = d3.addingProduct(u3, z)
          advance()
        }
      case 2:
        for _ in 0..<inner {
          let x = load(V.self, p, o0)
          let y = load(V.self, p, o1)
          let u0 = V(repeating: w0.pointee)
          a0 = a0.addingProduct(u0, x)
          b0 = b0.addingProduct(u0, y)
          let u1 = V(repeating: w1.pointee)
          a1 = a1.addingProduct(u1, x)
          b1 = b1.addingProduct(u1, y)
          let u2 = V(repeating: w2.pointee)
          a2 = a2.addingProduct(u2, x)
          b2 = b2.addingProduct(u2, y)
          let u3 = V(repeating: w3.pointee)
          a3 = a3.addingProduct(u3, x)
          b3 = b3.addingProduct(u3, y)
          advance()
        }
      default:
        for _ in 0..<inner {
          let x = load(V.self, p, o0)
          a0 = a0.addingProduct(V(repeating: w0.pointee), x)
          a1 = a1.addingProduct(V(repeating: w1.pointee), x)
          a2 = a2.addingProduct(V(repeating: w2.pointee), x)
          a3 = a3.addingProduct(V(repeating: w3.pointee), x)
          advance()
        }
      }
      let z0 = output(0)
      let z1 = output(1)
      let z2 = output(2)
      let z3 = output(3)
      store(a0, z0, c.c0)
      store(a1, z1, c.c0)
      store(a2, z2, c.c0)
      store(a3, z3, c.c0)
      if vectors >= 2 {
        store(b0, z0, c.c1)
        store(b1, z1, c.c1)
        store(b2, z2, c.c1)
        store(b3, z3, c.c1)
      }
      if vectors >= 3 {
        store(d0, z0, c.c2)
        store(d1, z1, c.c2)
        store(d2, z2, c.c2)
        store(d3, z3, c.c2)
      }
    }
  }

  /// Fewer columns than a vector holds: eight rows at a time (eight independent sums, enough to
  /// hide the FMA latency in a matrix-vector product), one column at a time.
  @inlinable
  static func scalar(
    _ W: UnsafePointer<Double>, rowStride: Int, columnStride cs: Int,
    _ b: UnsafePointer<Double>?, rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>
  ) {
    var r = 0
    while r < rows {
      let last = rows - 1
      let r0 = r
      let r1 = min(r + 1, last)
      let r2 = min(r + 2, last)
      let r3 = min(r + 3, last)
      let r4 = min(r + 4, last)
      let r5 = min(r + 5, last)
      let r6 = min(r + 6, last)
      let r7 = min(r + 7, last)
      let w0 = W + r0 * rowStride
      let w1 = W + r1 * rowStride
      let w2 = W + r2 * rowStride
      let w3 = W + r3 * rowStride
      let w4 = W + r4 * rowStride
      let w5 = W + r5 * rowStride
      let w6 = W + r6 * rowStride
      let w7 = W + r7 * rowStride
      for s in 0..<m {
        var a0 = b?[r0] ?? 0
        var a1 = b?[r1] ?? 0
        var a2 = b?[r2] ?? 0
        var a3 = b?[r3] ?? 0
        var a4 = b?[r4] ?? 0
        var a5 = b?[r5] ?? 0
        var a6 = b?[r6] ?? 0
        var a7 = b?[r7] ?? 0
        for l in 0..<inner {
          let x = X[l &* m &+ s]
          let o = l &* cs
          a0 = a0.addingProduct(w0[o], x)
          a1 = a1.addingProduct(w1[o], x)
          a2 = a2.addingProduct(w2[o], x)
          a3 = a3.addingProduct(w3[o], x)
          a4 = a4.addingProduct(w4[o], x)
          a5 = a5.addingProduct(w5[o], x)
          a6 = a6.addingProduct(w6[o], x)
          a7 = a7.addingProduct(w7[o], x)
        }
        Z[r0 * m + s] = a0
        Z[r1 * m + s] = a1
        Z[r2 * m + s] = a2
        Z[r3 * m + s] = a3
        Z[r4 * m + s] = a4
        Z[r5 * m + s] = a5
        Z[r6 * m + s] = a6
        Z[r7 * m + s] = a7
      }
      r += 8
    }
  }
}

/// `Gemm.combine` with four doubles per vector (AVX2 and FMA), compiled here and not inlinable:
/// callers get this module's optimised code even in a debug build (Package.swift builds the
/// kernel modules with -O in every configuration; unspecialised generic SIMD code is hundreds
/// of times slower).
public enum GemmAVX2 {
  public static func combine(
    _ W: UnsafePointer<Double>, rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>?,
    rows: Int, inner: Int, _ X: UnsafePointer<Double>, m: Int,
    into Z: UnsafeMutablePointer<Double>
  ) {
    Gemm.combine(
      SIMD4<Double>.self, W, rowStride: rowStride, columnStride: columnStride, b, rows: rows,
      inner: inner, X, m: m, into: Z)
  }
}
