import Testing

@testable import SPNumerics

/// Every architecture's declared guarantees, computed: what it guarantees holds to rounding
/// before and after training on every target; what it does not is measurably violated.
@Suite struct StructureGuaranteeTests {
  @Test(arguments: ArchitectureRegistry.names)
  func guaranteedPropertiesHoldBeforeAndAfterTrainingOnEveryTarget(name: String) {
    for n in [5, 64] {
      for target in TargetKind.allCases {
        let problem = Problem(n: n, seed: 2, target: target)
        let arch = ArchitectureRegistry.make(name, config: .init(n: n))!
        let t = Trainer(
          architecture: arch, problem: problem, batch: 20, optimizer: Adam(eta: 1e-3),
          initScheme: n > 5 ? .he : .randn, seed: 7)
        for phase in ["before", "after"] {
          let d = t.diagnostics()
          for p in arch.guarantees {
            #expect(
              d.value(of: p) < 1e-12,
              "\(name) \(p) on \(target) n=\(n) \(phase) training: \(d.value(of: p))")
          }
          if arch.guarantees.contains(.positiveHomogeneity) {
            #expect(d.offset == 0, "\(name) N(0) = \(d.offset)")
          }
          for _ in 0..<(n > 5 ? 5 : 100) { t.step() }
        }
      }
    }
  }

  /// With random parameters, every property an architecture does not guarantee is violated by
  /// far more than rounding (so no metric is trivially zero).
  @Test(arguments: ArchitectureRegistry.names)
  func unguaranteedPropertiesAreMeasurablyViolated(name: String) {
    let n = 5
    let arch = ArchitectureRegistry.make(name, config: .init(n: n))!
    for p in StructureProperty.allCases where !arch.guarantees.contains(p) {
      let worst = (UInt64(1)...4).map { seed -> Double in
        let t = Trainer(
          architecture: arch, problem: Problem(n: n, seed: seed), batch: 20,
          optimizer: SGD(eta: 1e-3), initScheme: .randn, seed: seed &+ 40)
        return t.diagnostics().value(of: p)
      }.max()!
      #expect(worst > 1e-3, "\(name) \(p): \(worst)")
    }
  }

  @Test func guaranteesAreTheDocumentedOnes() {
    let g = Dictionary(
      uniqueKeysWithValues: ArchitectureRegistry.names.map {
        ($0, ArchitectureRegistry.make($0, config: .init(n: 3))!.guarantees)
      })
    #expect(g["vanilla"] == [] && g["penalized"] == [] && g["penalized-scaled"] == [])
    #expect(g["linear"] == [.additivity, .homogeneity, .positiveHomogeneity, .oddness])
    #expect(g["biasfree"] == [.positiveHomogeneity])
    #expect(g["odd"] == [.homogeneity, .positiveHomogeneity, .oddness])
    #expect(g["skew"] == [.additivity, .homogeneity, .positiveHomogeneity, .oddness, .energy])
    #expect(g["mass"] == [.mass])
  }

  /// The verdict rests on the Float80 defect; a non-finite float64 value is never a violation of
  /// what is not guaranteed, and never EXACT.
  @Test func verdictRule() {
    let t = ModelDiagnostics.verdictThreshold
    func v(_ value: Double, _ d: Double?, _ g: Bool) -> StructureVerdict {
      ModelDiagnostics.verdict(value: value, extendedDefect: d, guaranteed: g)
    }
    #expect(v(1e-15, 1e-19, true) == .guaranteedExact)
    #expect(v(1e-15, 1e-19, false) == .exact)
    #expect(v(1e-15, t, true) == .guaranteedExact)
    #expect(v(1e-13, 1e-13, true) == .violated)
    #expect(v(1e-16, 2 * t, true) == .violated)
    #expect(v(0.3, 0.3, false) == .measured)
    #expect(v(1e-20, nil, true) == .measured)
    #expect(v(.nan, 1e-19, true) == .notFinite)
    #expect(v(.infinity, nil, false) == .notFinite)
    #expect(v(.nan, .nan, false) == .notFinite)
    #expect(v(.nan, .infinity, false) == .notFinite)
    #expect(v(.infinity, .infinity, true) == .violated)
    #expect(v(.nan, .nan, true) == .notFinite)
  }

  /// A bias-free network built so that 3 of its 6 units can never fire.
  @Test func deadUnitsAreCountedOnAConstructedNetwork() {
    let n = 2
    let arch = BiasFreeMLP(n: n, width: 3)
    let t = Trainer(
      architecture: arch, problem: Problem(n: n, seed: 1), batch: 4, optimizer: SGD(eta: 1),
      initScheme: .randn, seed: 1)
    // B1 rows: 0 (never > 0), x₀, x₁. B2 rows: h₁ + h₂ (fires), −h₁ − h₂ (≤ 0), 0 (never).
    let B1: [Double] = [0, 0, 1, 0, 0, 1]
    let B2: [Double] = [0, 1, 1, 0, -1, -1, 0, 0, 0]
    let B3: [Double] = [1, 1, 1, 1, 1, 1]
    t.setParameters(B1 + B2 + B3)
    let d = t.diagnostics()
    #expect(d.reluUnits == 6)
    #expect(d.deadUnits == 3)
    let linear = Trainer(
      architecture: LinearModel(n: n), problem: Problem(n: n, seed: 1), batch: 4,
      optimizer: SGD(eta: 1), initScheme: .randn, seed: 1)
    #expect(linear.diagnostics().deadUnits == nil)
    // A first-layer unit with a large negative bias never fires either.
    let v = Trainer(
      architecture: VanillaMLP(n: n), problem: Problem(n: n, seed: 1), batch: 4,
      optimizer: SGD(eta: 1), initScheme: .randn, seed: 1)
    var p = v.parameters
    p[v.architecture.layout.offset(of: "b1")] = -1e6
    v.setParameters(p)
    #expect(v.diagnostics().deadUnits! >= 1)
  }

  @Test func diagnosticsAgreeWithDirectEvaluation() {
    let n = 5
    let t = Trainer(
      architecture: MassMLP(n: n), problem: Problem(n: n, seed: 4), batch: 20,
      optimizer: SGD(eta: 1e-3), initScheme: .randn, seed: 3)
    for _ in 0..<50 { t.step() }
    let d = t.diagnostics()
    #expect(d.aprioriError.bitPattern == t.aprioriError().bitPattern)
    #expect(d.structure == t.structure())
    func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    let probe = t.problem.probe
    var odd = 0.0
    var energy = 0.0
    var mass = 0.0
    for x in [probe.additivityX, probe.additivityY, probe.homogeneityX] {
      let y = t.evaluate(x)
      let ym = t.evaluate(x.map { -$0 })
      odd = max(odd, norm(zip(y, ym).map(+)) / (norm(y) + norm(ym)))
      energy = max(energy, abs(zip(x, y).map(*).reduce(0, +)) / (norm(x) * norm(y)))
      mass = max(mass, abs(y.reduce(0, +)) / (Double(n).squareRoot() * norm(y)))
    }
    #expect(abs(d.oddness - odd) <= 1e-12 * odd)
    #expect(abs(d.energy - energy) <= 1e-12 * energy)
    #expect(mass < 1e-14 && d.mass < 1e-14)
    let offset = norm(t.evaluate([Double](repeating: 0, count: n)))
    #expect(abs(d.offset - offset) <= 1e-14 * offset)
    let hom = zip(probe.lambdas, d.structure.homogeneity)
    #expect(d.homogeneity == hom.map(\.1).max())
    #expect(d.positiveHomogeneity == hom.filter { $0.0 > 0 }.map(\.1).max())
  }

  @Test func lambdaZeroIsSkipped() {
    let problem = Problem(n: 3, seed: 1, lambdaCount: 5, lambdaRange: -2...2)
    #expect(problem.probe.lambdas == [-2, -1, 0, 1, 2])
    let t = Trainer(
      architecture: VanillaMLP(n: 3), problem: problem, batch: 4, optimizer: SGD(eta: 1),
      initScheme: .randn, seed: 1)
    let d = t.diagnostics()
    #expect(d.structure.homogeneity[2].isNaN)
    #expect(
      d.structure.homogeneity.enumerated().allSatisfy { $0.offset == 2 || $0.element.isFinite })
    #expect(d.homogeneity.isFinite && d.structure.maxHomogeneity == d.homogeneity)
    #expect(d.offset > 0)
  }
}
