import Testing

@testable import SPNumerics

/// The tiled product against plain loops, across every code path: both instances (four and, where
/// the processor has AVX-512, eight doubles per vector), tiles of 2 rows × 4–5 vectors and
/// 4 rows × 1–3 vectors, tiles clamped past the last row, the overlapping last vector, half-width
/// vectors and the scalar loop for narrow batches.
@Suite struct KernelTests {
  static let shapes: [(rows: Int, inner: Int, m: Int)] = {
    var s: [(Int, Int, Int)] = []
    for n in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 70] {
      for m in [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 20, 21, 24, 25, 37, 40, 41, 67] {
        s.append((n, n + (m % 3), m))
      }
    }
    return s
  }()

  /// The instances this machine can run (the eight-double one needs AVX-512).
  static var paths: [Kernels.Path] {
    Kernels.avx512Available ? [.avx2, .avx512] : [.avx2]
  }

  /// Z = b + W X by `Kernels.combine` on `path`; transposed: W is handed over stored as
  /// inner×rows (backpropagation's access pattern).
  static func product(
    _ W: [Double], _ b: [Double], _ X: [Double], rows: Int, inner: Int, m: Int,
    _ transposed: Bool, _ path: Kernels.Path
  ) -> [Double] {
    let Wt = transposed ? (0..<(inner * rows)).map { W[($0 % rows) * inner + $0 / rows] } : W
    var Z = [Double](repeating: .nan, count: rows * m)
    Wt.withUnsafeBufferPointer { w in
      X.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { bp in
          Z.withUnsafeMutableBufferPointer { z in
            Kernels.combine(
              w.baseAddress!, rowStride: transposed ? 1 : inner,
              columnStride: transposed ? rows : 1, bp.baseAddress!, rows: rows, inner: inner,
              x.baseAddress!, m: m, into: z.baseAddress!, using: path)
          }
        }
      }
    }
    return Z
  }

  @Test(arguments: paths)
  func combineAgreesWithAPlainReference(_ path: Kernels.Path) {
    var rng = Xoshiro256(seed: 99)
    for (rows, inner, m) in Self.shapes {
      let W = (0..<(rows * inner)).map { _ in rng.normal() }
      let X = (0..<(inner * m)).map { _ in rng.normal() }
      let b = (0..<rows).map { _ in rng.normal() }
      for transposed in [false, true] {
        let Z = Self.product(W, b, X, rows: rows, inner: inner, m: m, transposed, path)
        var worst = 0.0
        for r in 0..<rows {
          for s in 0..<m {
            var ref = b[r]
            var scale = abs(b[r])
            for l in 0..<inner {
              ref += W[r * inner + l] * X[l * m + s]
              scale += abs(W[r * inner + l] * X[l * m + s])
            }
            worst = max(worst, abs(Z[r * m + s] - ref) / scale)
          }
        }
        #expect(
          worst < 1e-12, "\(path): rows \(rows) inner \(inner) m \(m) transposed \(transposed)")
      }
    }
  }

  /// Every output element is one chain of fused multiply-adds started at the bias, l ascending:
  /// bit for bit against that chain written out, on the shapes of n = 200 (products of 200×200
  /// by 200×20 and 200×20 by 20×200), long inner dimensions and every tile, transposed weights
  /// included.
  @Test(arguments: paths)
  func everyElementIsOneFusedChainInOrder(_ path: Kernels.Path) {
    var rng = Xoshiro256(seed: 23)
    let shapes = [
      (200, 200, 20), (7, 300, 20), (33, 513, 8), (5, 260, 67), (9, 1000, 3), (200, 20, 200),
      (3, 700, 41), (17, 129, 24),
    ]
    for (rows, inner, m) in shapes {
      let W = (0..<(rows * inner)).map { _ in rng.normal() }
      let X = (0..<(inner * m)).map { _ in rng.normal() }
      let b = (0..<rows).map { _ in rng.normal() }
      for transposed in [false, true] {
        let Z = Self.product(W, b, X, rows: rows, inner: inner, m: m, transposed, path)
        var differing = 0
        for r in 0..<rows {
          for s in 0..<m {
            var chain = b[r]
            for l in 0..<inner { chain = chain.addingProduct(W[r * inner + l], X[l * m + s]) }
            if chain.bitPattern != Z[r * m + s].bitPattern { differing += 1 }
          }
        }
        #expect(
          differing == 0,
          "\(path): rows \(rows) inner \(inner) m \(m) transposed \(transposed): \(differing) differ"
        )
      }
    }
  }

  @Test func everyPathGivesTheSameBits() {
    // A row computed alone (single-row path) equals the same row computed in a pair.
    var rng = Xoshiro256(seed: 5)
    let inner = 9
    let m = 23
    let W = (0..<(3 * inner)).map { _ in rng.normal() }
    let X = (0..<(inner * m)).map { _ in rng.normal() }
    func run(rows: Int, from row: Int) -> [Double] {
      var Z = [Double](repeating: 0, count: rows * m)
      W.withUnsafeBufferPointer { w in
        X.withUnsafeBufferPointer { x in
          Z.withUnsafeMutableBufferPointer { z in
            Kernels.combine(
              w.baseAddress! + row * inner, rowStride: inner, columnStride: 1, nil, rows: rows,
              inner: inner, x.baseAddress!, m: m, into: z.baseAddress!)
          }
        }
      }
      return Z
    }
    let pair = run(rows: 2, from: 1)
    let single = run(rows: 1, from: 2)
    #expect(Array(pair[m..<(2 * m)]).map(\.bitPattern) == single.map(\.bitPattern))
  }

  /// Both instances give the same bits on every shape (so a log recorded on a machine with
  /// AVX-512 verifies bit for bit on one without), and a row's value does not depend on the
  /// rows or columns computed beside it.
  @Test(.enabled(if: Kernels.avx512Available, "needs a processor with AVX-512"))
  func instancesAndTilesGiveIdenticalBits() {
    var rng = Xoshiro256(seed: 17)
    for (rows, inner, m) in Self.shapes {
      let W = (0..<(rows * inner)).map { _ in rng.normal() }
      let X = (0..<(inner * m)).map { _ in rng.normal() }
      let b = (0..<rows).map { _ in rng.normal() }
      func run(_ path: Kernels.Path, rows: Int, from row: Int, m: Int) -> [UInt64] {
        var Z = [Double](repeating: .nan, count: rows * m)
        let Xm = (0..<(inner * m)).map { X[($0 / m) * (X.count / inner) + $0 % m] }
        W.withUnsafeBufferPointer { w in
          Xm.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { bp in
              Z.withUnsafeMutableBufferPointer { z in
                Kernels.combine(
                  w.baseAddress! + row * inner, rowStride: inner, columnStride: 1,
                  bp.baseAddress! + row, rows: rows, inner: inner, x.baseAddress!, m: m,
                  into: z.baseAddress!, using: path)
              }
            }
          }
        }
        return Z.map(\.bitPattern)
      }
      let four = run(.avx2, rows: rows, from: 0, m: m)
      #expect(four == run(.avx512, rows: rows, from: 0, m: m), "rows \(rows) m \(m)")
      // The last row alone, and the first column alone, equal their place in the whole.
      #expect(run(.avx512, rows: 1, from: rows - 1, m: m) == Array(four[((rows - 1) * m)...]))
      let firstColumn = (0..<rows).map { four[$0 * m] }
      #expect(run(.avx2, rows: rows, from: 0, m: 1) == firstColumn)
    }
  }
}
