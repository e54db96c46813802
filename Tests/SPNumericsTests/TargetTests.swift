import Testing

@testable import SPNumerics

/// The target structures and the draws they come from.
@Suite struct TargetTests {
  @Test func generalIsTheSeedsDrawAndEveryTargetSharesTheProbes() {
    let n = 4
    var rng = Xoshiro256(seed: 9)
    let M = (0..<(n * n)).map { _ in rng.normal() }
    let xvalid = (0..<n).map { _ in rng.normal() }
    let general = Problem(n: n, seed: 9)
    #expect(general.A == M && general.xvalid == xvalid && general.targetKind == .general)
    for t in TargetKind.allCases {
      let p = Problem(n: n, seed: 9, target: t)
      #expect(p.xvalid == xvalid && p.probe == general.probe)
      #expect(p.fvalid == p.target(xvalid))
      #expect(p.fvalid.contains { $0 != 0 })
    }
  }

  @Test func eachTargetHasItsStructure() {
    let n = 6
    let skew = Problem(n: n, seed: 3, target: .skew).A
    let mass = Problem(n: n, seed: 3, target: .mass).A
    let lap = Problem(n: n, seed: 3, target: .laplacian).A
    for i in 0..<n {
      for j in 0..<n {
        #expect(skew[i * n + j] == -skew[j * n + i])
        #expect(lap[i * n + j] == lap[j * n + i])
        let d = (j - i + n) % n
        #expect(lap[i * n + j] == (d == 0 ? -2 : (d == 1 || d == n - 1) ? 1 : 0))
      }
      #expect(abs((0..<n).map { mass[$0 * n + i] }.reduce(0, +)) < 1e-14)
      #expect((0..<n).map { lap[$0 * n + i] }.reduce(0, +) == 0)
    }
    var rng = Xoshiro256(seed: 1)
    let even = Problem(n: n, seed: 3, target: .even)
    let odd = Problem(n: n, seed: 3, target: .oddTeacher)
    #expect(odd.teacher.count == 3 * n * n)
    for _ in 0..<20 {
      let x = (0..<n).map { _ in rng.normal() }
      let minus = x.map { -$0 }
      #expect(even.target(minus) == even.target(x))
      #expect(odd.target(minus) == odd.target(x).map { -$0 })
      let l = 3.5
      let scaled = odd.target(x.map { l * $0 })
      for (a, b) in zip(scaled, odd.target(x)) { #expect(abs(a - l * b) <= 1e-12 * max(1, abs(a))) }
    }
    #expect(TargetKind.laplacian.minimumN == 2 && TargetKind.general.minimumN == 1)
  }

  @Test func oddTeacherIsRedrawnWhileItVanishesAtXvalid() {
    for seed: UInt64 in 1...40 {
      let p = Problem(n: 2, seed: seed, target: .oddTeacher)
      #expect(p.fvalid.contains { $0 != 0 }, "seed \(seed)")
    }
  }

  @Test func heInitialisationScalesByFanInAndZeroesBiases() {
    let arch = VanillaMLP(n: 40, width: 90)
    var p = [Double](repeating: 1, count: arch.layout.count)
    var rng = Xoshiro256(seed: 2)
    p.withUnsafeMutableBufferPointer { arch.initialize($0.baseAddress!, scheme: .he, rng: &rng) }
    for part in arch.layout.parts {
      let v = Array(p[part.range])
      if part.isVector {
        #expect(v.allSatisfy { $0 == 0 }, "\(part.name)")
      } else {
        let variance = v.map { $0 * $0 }.reduce(0, +) / Double(v.count)
        let expected = 2 / Double(part.columns)
        #expect(abs(variance / expected - 1) < 0.1, "\(part.name): \(variance) vs \(expected)")
      }
    }
    #expect(
      arch.layout.part(named: "B1")!.rows == 90 && arch.layout.part(named: "B1")!.columns == 40)
    #expect(
      arch.layout.part(named: "B3")!.rows == 40 && arch.layout.part(named: "B3")!.columns == 90)
  }

  @Test func widthEqualToNIsTheSeedsNetwork() {
    let n = 4
    let a = VanillaMLP(n: n)
    let b = VanillaMLP(n: n, width: n)
    #expect(a.layout == b.layout && a.workspaceSize(batch: 20) == 6 * n * 20)
    #expect(a.layout.count == 3 * n * n + 3 * n)
  }

  /// With |λ| ≤ 1 the scaled weight w/max(1, λ²) is w: the two penalties are the same loss.
  @Test func scaledPenaltyEqualsTheSeedsForSmallLambda() {
    let n = 4
    let m = 6
    let problem = Problem(n: n, seed: 5)
    let make = { (a: any Architecture) in
      Trainer(
        architecture: a, problem: problem, batch: m, optimizer: SGD(eta: 0.001),
        initScheme: .randn, seed: 9)
    }
    let p = make(PenalizedMLP(n: n, weight: 0.7, lambdaMax: 1))
    let s = make(PenalizedMLP(n: n, weight: 0.7, lambdaMax: 1, scaling: .inverseSquare))
    var rng = Xoshiro256(seed: 1)
    let X = (0..<(n * m)).map { _ in rng.normal() }
    let a = p.lossAndGradient(X: X, m: m)
    let b = s.lossAndGradient(X: X, m: m)
    #expect(a.loss == b.loss && a.gradient == b.gradient)
    let big = make(PenalizedMLP(n: n, weight: 0.7, scaling: .inverseSquare))
    let seed = make(PenalizedMLP(n: n, weight: 0.7))
    #expect(big.lossAndGradient(X: X, m: m).loss < seed.lossAndGradient(X: X, m: m).loss)
  }
}
