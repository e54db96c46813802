import Testing

@testable import SPNumerics

/// The implicit-midpoint energy rollout.
@Suite struct RolloutTests {
  @Test func skewModelConservesEnergyOver1000Steps() throws {
    let n = 6
    let problem = Problem(n: n, seed: 3)
    let arch = try #require(ArchitectureRegistry.make("skew", config: .init(n: n)))
    let t = Trainer(
      architecture: arch, problem: problem, batch: 20, optimizer: SGD(eta: 0.01),
      initScheme: .randn, seed: 4)
    for _ in 0..<50 { t.step() }
    let e = Rollout.energy({ t.evaluate($0) }, from: problem.xvalid, dt: 0.05, steps: 1000)
    #expect(e.count == 1001)
    let drift = e.map { abs($0 - e[0]) / e[0] }.max()!
    #expect(drift < 1e-12, "relative energy drift \(drift)")
  }

  @Test func nonConservativeModelsDrift() {
    let n = 5
    let problem = Problem(n: n, seed: 3)
    let t = Trainer(
      architecture: LinearModel(n: n), problem: problem, batch: 20, optimizer: SGD(eta: 0.01),
      initScheme: .scaled, seed: 4)
    let e = Rollout.energy({ t.evaluate($0) }, from: problem.xvalid, dt: 0.05, steps: 200)
    let drift = e.map { abs($0 - e[0]) / e[0] }.max()!
    #expect(drift > 1e-3, "a general linear flow changes the energy; drift \(drift)")
  }

  @Test func divergingFlowsBecomeNaNNotATrap() {
    let e = Rollout.energy({ $0.map { $0 * $0 * 1e3 } }, from: [1, 2], dt: 1, steps: 20)
    #expect(e.count == 21)
    #expect(e.last!.isNaN)
    #expect(e[0] == 5)
  }
}
