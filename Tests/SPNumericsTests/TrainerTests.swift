import Testing

@testable import SPNumerics

/// Determinism, divergence and the random generator.
@Suite struct TrainerTests {
  func run(_ name: String, seed: UInt64, steps: Int = 300, eta: Double = 0.001, n: Int = 5)
    -> (params: [Double], errors: [Double])
  {
    let t = Trainer(
      architecture: ArchitectureRegistry.make(name, config: .init(n: n))!,
      problem: Problem(n: n, seed: seed), batch: 20, optimizer: SGD(eta: eta),
      initScheme: .randn, seed: Problem.modelSeed(seed, slot: 1))
    var errors: [Double] = []
    for _ in 0..<steps {
      t.step()
      errors.append(t.lastAprioriError)
      errors.append(t.lastLoss)
    }
    return (t.parameters, errors)
  }

  @Test(arguments: ["vanilla", "penalized", "linear"])
  func sameSeedIsBitIdenticalDifferentSeedDiffers(name: String) {
    let a = run(name, seed: 42)
    let b = run(name, seed: 42)
    let c = run(name, seed: 43)
    #expect(a.params.map(\.bitPattern) == b.params.map(\.bitPattern))
    #expect(a.errors.map(\.bitPattern) == b.errors.map(\.bitPattern))
    #expect(a.params != c.params)
    #expect(a.errors != c.errors)
  }

  @Test func xoshiroMatchesReferenceOutputs() {
    // SplitMix64(0) first outputs are published test values of the algorithm.
    var sm = SplitMix64(seed: 0)
    #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
    #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
    var r = Xoshiro256(seed: 7)
    var u = Xoshiro256(seed: 7)
    #expect(r.next() == u.next())
    let x = (0..<1000).map { _ in r.uniform() }
    #expect(x.allSatisfy { $0 >= 0 && $0 < 1 })
  }

  @Test func normalSamplerHasUnitMoments() {
    var r = Xoshiro256(seed: 123)
    let count = 400_000
    var s1 = 0.0
    var s2 = 0.0
    var s4 = 0.0
    for _ in 0..<count {
      let z = r.normal()
      s1 += z
      s2 += z * z
      s4 += z * z * z * z
    }
    let mean = s1 / Double(count)
    let variance = s2 / Double(count) - mean * mean
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.01)
    #expect(abs(s4 / Double(count) - 3) < 0.05)
  }

  @Test func divergenceStopsTheModelAndKeepsFiniteParameters() {
    let n = 50
    let t = Trainer(
      architecture: VanillaMLP(n: n), problem: Problem(n: n, seed: 1), batch: 20,
      optimizer: SGD(eta: 10), initScheme: .randn, seed: 5)
    var steps = 0
    while t.step() { steps += 1 }
    #expect(t.diverged)
    #expect(steps < 1000)
    #expect(t.parameters.allSatisfy { $0.isFinite })
    let before = t.parameters
    #expect(t.step() == false)
    #expect(t.parameters == before)
    t.reinitialize()
    #expect(!t.diverged && t.iteration == 0)
  }

  /// The same buffers after a thousand and one steps: in their places for the optimisers with
  /// state; SGD's one pass trades θ's and the gradient's places every step (an odd number of
  /// steps leaves them traded), so for it they are compared as a set.
  @Test(arguments: OptimizerKind.allCases)
  func stepUsesOnlyPreallocatedBuffers(_ kind: OptimizerKind) {
    let t = Trainer(
      architecture: PenalizedMLP(n: 5), problem: Problem(n: 5, seed: 1), batch: 20,
      optimizer: kind.make(eta: 0.001), initScheme: .randn, seed: 5)
    let before = t.bufferAddresses
    for _ in 0..<1001 { t.step() }
    if kind == .sgd {
      #expect(t.bufferAddresses != before)
      #expect(Set(t.bufferAddresses) == Set(before) && t.bufferAddresses.count == before.count)
    } else {
      #expect(t.bufferAddresses == before)
    }
  }

  @Test func namedParameterViews() {
    let layout = MLP(n: 3).layout
    #expect(layout.parts.map(\.name) == ["B1", "b1", "B2", "b2", "B3", "b3"])
    #expect(layout.count == 3 * 9 + 3 * 3)
    let values = (0..<layout.count).map(Double.init)
    let named = layout.named(values)
    #expect(named[0].value == [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    #expect(named[1].value == [[9, 10, 11]])
    #expect(named[5].name == "b3" && named[5].value == [[33, 34, 35]])
    #expect(LinearModel(n: 4).layout.count == 16)
  }
}

/// The ziggurat normal sampler's distribution, beyond its first moments.
@Suite struct NormalSamplerTests {
  @Test func tailsAndCentreHaveTheNormalProbabilities() {
    var r = Xoshiro256(seed: 2024)
    let count = 2_000_000
    var beyond1 = 0
    var beyond2 = 0
    var beyond3 = 0
    var beyondR = 0
    var negative = 0
    for _ in 0..<count {
      let z = r.normal()
      let a = abs(z)
      if a > 1 { beyond1 += 1 }
      if a > 2 { beyond2 += 1 }
      if a > 3 { beyond3 += 1 }
      if a > 3.6541528853610088 { beyondR += 1 }
      if z < 0 { negative += 1 }
    }
    func p(_ k: Int) -> Double { Double(k) / Double(count) }
    // Two-sided tail probabilities of N(0, 1), with generous sampling tolerances.
    #expect(abs(p(beyond1) - 0.317310507) < 0.0015)
    #expect(abs(p(beyond2) - 0.045500264) < 0.0006)
    #expect(abs(p(beyond3) - 0.002699796) < 0.00015)
    #expect(abs(p(beyondR) - 0.000258) < 0.00005, "the tail beyond R is drawn")
    #expect(abs(p(negative) - 0.5) < 0.002)
  }
}
