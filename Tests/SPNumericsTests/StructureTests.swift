import Testing

@testable import SPNumerics

/// The seed's structure claims, computed.
@Suite struct StructureTests {
  func trainer(_ name: String, n: Int = 5, seed: UInt64 = 1, eta: Double = 0.001) -> Trainer {
    let problem = Problem(n: n, seed: seed)
    return Trainer(
      architecture: ArchitectureRegistry.make(name, config: .init(n: n))!, problem: problem,
      batch: 20, optimizer: SGD(eta: eta), initScheme: .randn,
      seed: Problem.modelSeed(seed, slot: 0))
  }

  @Test func linearModelIsExactlyLinearBeforeAndAfterTraining() {
    for seed: UInt64 in [1, 2, 3] {
      let t = trainer("linear", seed: seed)
      for phase in 0..<2 {
        let s = t.structure()
        #expect(s.additivity < 1e-12, "seed \(seed) phase \(phase): \(s.additivity)")
        #expect(s.homogeneity.count == 100)
        for (l, h) in zip(t.problem.probe.lambdas, s.homogeneity) {
          #expect(h < 1e-12, "λ=\(l): \(h)")
        }
        for _ in 0..<2000 { t.step() }
      }
      #expect(t.iteration == 4000)
    }
  }

  @Test func vanillaLearnsTheOutputsButNotTheStructure() {
    let t = trainer("vanilla")
    let e0 = t.lastAprioriError
    for _ in 0..<5000 { t.step() }
    #expect(!t.diverged)
    #expect(t.lastAprioriError < e0 / 2, "a-priori error \(e0) → \(t.lastAprioriError)")
    let hom = t.homogeneity(at: [-10])[0]
    #expect(hom > 0.1, "homogeneity error at λ = −10 is \(hom)")
    #expect(t.structure().additivity > 1e-3)
  }

  @Test func lambdaGridIsJuliasLinRange() {
    let l = Probe.linRange(-10, 10, 100)
    #expect(l.count == 100)
    #expect(l.first == -10 && l.last == 10)
    #expect(!l.contains(0))
    #expect(abs(l[1] - (-10 + 20.0 / 99)) < 1e-14)
  }

  @Test func zeroDenominatorConvention() {
    #expect(StructureMetrics.relative(0, 0) == 0)
    #expect(StructureMetrics.relative(1, 0) == .infinity)
    #expect(StructureMetrics.relative(1, 4) == 0.25)
  }

  @Test func metricsAgreeWithDirectEvaluation() {
    let t = trainer("vanilla", seed: 4)
    for _ in 0..<100 { t.step() }
    let p = t.problem.probe
    let fx = t.evaluate(p.additivityX)
    let fy = t.evaluate(p.additivityY)
    let fxy = t.evaluate(zip(p.additivityX, p.additivityY).map(+))
    func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    let add = norm((0..<5).map { fxy[$0] - fx[$0] - fy[$0] }) / norm(zip(fx, fy).map(+))
    let s = t.structure()
    #expect(abs(s.additivity - add) <= 1e-12 * add)
    let h = t.evaluate(p.homogeneityX)
    for (k, l) in p.lambdas.enumerated() where k % 17 == 0 {
      let fl = t.evaluate(p.homogeneityX.map { l * $0 })
      let direct = norm((0..<5).map { fl[$0] - l * h[$0] }) / norm(h.map { l * $0 })
      #expect(abs(s.homogeneity[k] - direct) <= 1e-12 * max(direct, 1e-300))
    }
  }
}
