import Testing

@testable import SPNumerics

/// The blocked kernels against plain loops, across every code path (paired and single rows,
/// 16-, 4- and 1-column blocks).
@Suite struct KernelTests {
  static let shapes: [(rows: Int, inner: Int, m: Int)] = {
    var s: [(Int, Int, Int)] = []
    for n in [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 64, 70] {
      for m in [1, 3, 4, 5, 15, 16, 17, 20, 21, 37, 40] { s.append((n, n + (m % 3), m)) }
    }
    return s
  }()

  @Test func combineAgreesWithAPlainReference() {
    var rng = Xoshiro256(seed: 99)
    for (rows, inner, m) in Self.shapes {
      let W = (0..<(rows * inner)).map { _ in rng.normal() }
      let X = (0..<(inner * m)).map { _ in rng.normal() }
      let b = (0..<rows).map { _ in rng.normal() }
      for transposed in [false, true] {
        // transposed: W read as inner×rows (backpropagation's access pattern).
        let Wt = transposed ? (0..<(inner * rows)).map { W[($0 % rows) * inner + $0 / rows] } : W
        var Z = [Double](repeating: .nan, count: rows * m)
        Wt.withUnsafeBufferPointer { w in
          X.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { bp in
              Z.withUnsafeMutableBufferPointer { z in
                Kernels.combine(
                  w.baseAddress!, rowStride: transposed ? 1 : inner,
                  columnStride: transposed ? rows : 1, bp.baseAddress!, rows: rows, inner: inner,
                  x.baseAddress!, m: m, into: z.baseAddress!)
              }
            }
          }
        }
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
        #expect(worst < 1e-12, "rows \(rows) inner \(inner) m \(m) transposed \(transposed)")
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
}
