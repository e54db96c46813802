import Testing

@testable import SPNumerics

/// Every optimiser, through one table, on a small least-squares problem.
@Suite struct OptimizerTests {
  struct Case: Sendable, CustomStringConvertible {
    var kind: OptimizerKind
    var eta: Double
    var steps: Int
    var description: String { "\(kind.rawValue) η=\(eta)" }
  }

  static let table: [Case] = [
    Case(kind: .sgd, eta: 0.05, steps: 3000),
    Case(kind: .momentum, eta: 0.01, steps: 3000),
    Case(kind: .adam, eta: 0.05, steps: 5000),
  ]

  /// Minimises ½‖M θ − c‖² (M 6×4, full column rank) and compares with the normal equations.
  @Test(arguments: table)
  func convergesOnLeastSquares(_ c: Case) {
    var rng = Xoshiro256(seed: 3)
    let rows = 6
    let cols = 4
    let M = (0..<(rows * cols)).map { _ in rng.normal() }
    let target = (0..<rows).map { _ in rng.normal() }
    let opt = c.kind.make(eta: c.eta)
    var theta = [Double](repeating: 0, count: cols)
    var state = [Double](repeating: 0, count: max(1, opt.stateSize(parameterCount: cols)))
    var g = [Double](repeating: 0, count: cols)
    func gradient(_ th: [Double]) -> [Double] {
      var r = [Double](repeating: 0, count: rows)
      for i in 0..<rows { for j in 0..<cols { r[i] += M[i * cols + j] * th[j] } }
      for i in 0..<rows { r[i] -= target[i] }
      return (0..<cols).map { j in (0..<rows).map { M[$0 * cols + j] * r[$0] }.reduce(0, +) }
    }
    for t in 1...c.steps {
      g = gradient(theta)
      let ok = theta.withUnsafeMutableBufferPointer { th in
        state.withUnsafeMutableBufferPointer { st in
          g.withUnsafeBufferPointer { gp in
            opt.apply(
              th.baseAddress!, gradient: gp.baseAddress!, count: cols, state: st.baseAddress!, t: t)
          }
        }
      }
      #expect(ok)
    }
    let residual = gradient(theta).map { $0 * $0 }.reduce(0, +).squareRoot()
    #expect(residual < 1e-6, "\(c): ‖∇‖ = \(residual)")
  }

  @Test(arguments: OptimizerKind.allCases)
  func refusesNonFiniteUpdatesAndChangesNothing(_ kind: OptimizerKind) {
    let opt = kind.make(eta: 1)
    var theta: [Double] = [1, 2]
    var state = [Double](repeating: 0, count: max(1, opt.stateSize(parameterCount: 2)))
    let g: [Double] = [.nan, 1]
    let ok = theta.withUnsafeMutableBufferPointer { th in
      state.withUnsafeMutableBufferPointer { st in
        g.withUnsafeBufferPointer {
          opt.apply(
            th.baseAddress!, gradient: $0.baseAddress!, count: 2, state: st.baseAddress!, t: 1)
        }
      }
    }
    #expect(!ok)
    #expect(theta == [1, 2])
    #expect(state.allSatisfy { $0 == 0 })
  }

  /// The finiteness check runs sixteen values at a time in four sums, then four, then a scalar
  /// tail: one bad value at any position (NaN, ±∞ in the gradient, or an update that overflows)
  /// is caught wherever it falls, and a clean vector of the same length is applied.
  @Test(arguments: OptimizerKind.allCases)
  func catchesABadValueInAnyLaneOrTheTail(_ kind: OptimizerKind) {
    let opt = kind.make(eta: 1)
    for count in [1, 3, 4, 5, 8, 11, 16, 20, 35] {
      for position in 0..<count {
        for bad in [Double.nan, .infinity, -.infinity, -.greatestFiniteMagnitude] {
          var theta = (0..<count).map { Double($0) + 0.5 }
          // The last kind overflows only in θ − ηg (θ = max, g = −max), for SGD and momentum.
          if bad == -.greatestFiniteMagnitude {
            if kind == .adam { continue }
            theta[position] = .greatestFiniteMagnitude
          }
          let before = theta
          var g = [Double](repeating: 0.25, count: count)
          g[position] = bad
          var state = [Double](repeating: 0, count: max(1, opt.stateSize(parameterCount: count)))
          let ok = theta.withUnsafeMutableBufferPointer { th in
            state.withUnsafeMutableBufferPointer { st in
              g.withUnsafeBufferPointer {
                opt.apply(
                  th.baseAddress!, gradient: $0.baseAddress!, count: count,
                  state: st.baseAddress!, t: 1)
              }
            }
          }
          #expect(!ok, "\(kind) count \(count) position \(position) value \(bad)")
          #expect(theta == before)
          #expect(state.allSatisfy { $0 == 0 })
        }
      }
      var theta = [Double](repeating: 1, count: count)
      var state = [Double](repeating: 0, count: max(1, opt.stateSize(parameterCount: count)))
      let g = [Double](repeating: 0.25, count: count)
      let ok = theta.withUnsafeMutableBufferPointer { th in
        state.withUnsafeMutableBufferPointer { st in
          g.withUnsafeBufferPointer {
            opt.apply(
              th.baseAddress!, gradient: $0.baseAddress!, count: count, state: st.baseAddress!,
              t: 1)
          }
        }
      }
      #expect(ok && theta.allSatisfy { $0 < 1 }, "\(kind) count \(count) applies a clean update")
    }
  }

  /// SGD's one pass (`applyOverGradient`, the trainer's path) against its two (`apply`): the
  /// same bits at every length through the 16-, 4- and scalar parts, on values of every size;
  /// a bad value anywhere gives false and leaves θ as it was. The stateful optimisers have no
  /// one pass (nil).
  @Test func sgdInOnePassIsApplyBitForBit() {
    var rng = Xoshiro256(seed: 11)
    let sgd = SGD(eta: 0.0137)
    for count in [1, 3, 4, 5, 15, 16, 17, 35, 1000, 80_000 + 3] {
      let theta = (0..<count).map { _ in rng.normal() * 1e3 }
      let g = (0..<count).map { i in rng.normal() * (i % 3 == 0 ? 1e-9 : 1e2) }
      var inPlace = theta
      var state = [0.0]
      let twoPasses = inPlace.withUnsafeMutableBufferPointer { th in
        g.withUnsafeBufferPointer {
          sgd.apply(th.baseAddress!, gradient: $0.baseAddress!, count: count, state: &state, t: 1)
        }
      }
      var over = g
      let onePass = theta.withUnsafeBufferPointer { th in
        over.withUnsafeMutableBufferPointer {
          sgd.applyOverGradient(th.baseAddress!, gradient: $0.baseAddress!, count: count)
        }
      }
      #expect(twoPasses && onePass == true, "count \(count)")
      #expect(over.map(\.bitPattern) == inPlace.map(\.bitPattern), "count \(count)")
    }
    for count in [1, 5, 16, 17, 35] {
      for position in 0..<count {
        for bad in [Double.nan, .infinity, -.greatestFiniteMagnitude] {
          var theta = (0..<count).map { Double($0) + 0.5 }
          if bad == -.greatestFiniteMagnitude { theta[position] = .greatestFiniteMagnitude }
          var g = [Double](repeating: 0.25, count: count)
          g[position] = bad
          let ok = theta.withUnsafeBufferPointer { th in
            g.withUnsafeMutableBufferPointer {
              SGD(eta: 1).applyOverGradient(
                th.baseAddress!, gradient: $0.baseAddress!, count: count)
            }
          }
          #expect(ok == false, "count \(count) position \(position) value \(bad)")
        }
      }
    }
    for kind in [OptimizerKind.momentum, .adam] {
      var g = [1.0]
      let theta = [1.0]
      let result = theta.withUnsafeBufferPointer { th in
        g.withUnsafeMutableBufferPointer {
          kind.make(eta: 1).applyOverGradient(th.baseAddress!, gradient: $0.baseAddress!, count: 1)
        }
      }
      #expect(result == nil, "\(kind)")
    }
  }
}
