import Foundation
import Testing

@testable import SPNumerics

/// A test-only architecture that claims its base's guarantees and breaks every one of them by a
/// relative amount of about δ: N(x) = B(x) + δ (x ⊙ x) / √n, in float64 and in Float80 alike. The added term is of degree 2 in x (not homogeneous, not additive), even (not odd),
/// has x·(x ⊙ x) = Σ xᵢ³ ≠ 0 (not energy-conserving) and Σ xᵢ² > 0 (not mass-conserving).
struct BrokenArchitecture: Architecture {
  let base: any Architecture
  let delta: Double

  var name: String { "broken-" + base.name }
  var formula: String { base.formula + " + δ (x ⊙ x)/√n" }
  var n: Int { base.n }
  var layout: ParameterLayout { base.layout }
  var guarantees: Set<StructureProperty> { base.guarantees }
  var reluUnits: Int { base.reluUnits }

  func workspaceSize(batch m: Int) -> Int { base.workspaceSize(batch: m) }

  func initialize(_ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256) {
    base.initialize(p, scheme: scheme, rng: &rng)
  }

  func perturb<T: BinaryFloatingPoint>(
    _ X: UnsafePointer<T>, _ Y: UnsafeMutablePointer<T>, m: Int
  ) {
    let c = T(delta) / T(n).squareRoot()
    for i in 0..<(n * m) { Y[i] += c * X[i] * X[i] }
  }

  func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    base.evaluate(p, X, m: m, into: Y, workspace: workspace)
    perturb(X, Y, m: m)
  }

  func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    base.evaluate(p, X, m: m, into: Y, workspace: workspace, markingActive: active)
    perturb(X, Y, m: m)
  }

  func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    base.evaluateExtended(p, X, m: m, into: Y)
    perturb(X, Y, m: m)
  }

  func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    base.lossAndGradient(p, X, targets: F, m: m, grad: grad, workspace: workspace, rng: &rng)
  }
}

/// The structure matrix's verdict (✓ EXACT / EXACT / ✗ / —) rests on the Float80 re-evaluation:
/// no false ✗ on any architecture, target, seed, size or stage of training; a real violation,
/// however small, always ✗; a diverged model never ✗.
@Suite struct StructureVerdictTests {
  static let guaranteeing = ArchitectureRegistry.names.filter {
    !ArchitectureRegistry.make($0, config: .init(n: 2))!.guarantees.isEmpty
  }

  /// Checks every guaranteed property of `t` reads ✓ EXACT; returns the largest Float80 defect of
  /// a guaranteed property.
  static func expectGuaranteesExact(_ t: Trainer, _ context: String) -> Double {
    let d = t.diagnostics()
    var worst = 0.0
    for p in t.architecture.guarantees {
      let defect = d.extendedDefects[p] ?? .nan
      #expect(
        d.verdict(p) == .guaranteedExact,
        "\(context) \(p): verdict \(d.verdict(p)), float64 \(d.value(of: p)), Float80 \(defect)")
      worst = defect.isNaN ? .infinity : max(worst, defect)
    }
    return worst
  }

  /// (1) Long runs: every architecture on every target, three seeds (randn and he initialisation,
  /// sgd and adam), 3000 steps, checked every 250 steps from step 0.
  @Test(arguments: ArchitectureRegistry.names)
  func guaranteedPropertiesReadExactThroughLongRuns(name: String) {
    let n = 5
    var worst = 0.0
    for target in TargetKind.allCases {
      for seed in UInt64(1)...3 {
        let t = Trainer(
          architecture: ArchitectureRegistry.make(name, config: .init(n: n))!,
          problem: Problem(n: n, seed: seed, target: target), batch: 20,
          optimizer: seed == 2 ? SGD(eta: 1e-3) : Adam(eta: 1e-2),
          initScheme: seed == 3 ? .he : .randn, seed: seed &+ 100)
        for k in 0...12 {
          if k > 0 { for _ in 0..<250 { t.step() } }
          worst = max(
            worst,
            Self.expectGuaranteesExact(t, "\(name) \(target) seed \(seed) step \(t.iteration)"))
        }
      }
    }
    print("verdict: \(name) long runs, largest Float80 defect of a guarantee \(worst)")
  }

  /// (1) The n·ε-borderline cases: fresh parameters (as `--iterations 0` shows them) for many
  /// seeds and sizes, width n and 2n, every target.
  @Test(arguments: ArchitectureRegistry.names)
  func guaranteedPropertiesReadExactAtInitialisation(name: String) {
    var worst = 0.0
    for n in [2, 5, 16] {
      for width in [n, 2 * n] {
        for target in TargetKind.allCases {
          for seed in UInt64(1)...12 {
            let t = Trainer(
              architecture: ArchitectureRegistry.make(name, config: .init(n: n, width: width))!,
              problem: Problem(n: n, seed: seed, target: target), batch: 4,
              optimizer: SGD(eta: 1e-3), initScheme: seed % 2 == 0 ? .he : .randn,
              seed: Problem.modelSeed(seed, slot: Int(seed % 7)))
            worst = max(
              worst, Self.expectGuaranteesExact(t, "\(name) n=\(n) w=\(width) \(target) \(seed)"))
          }
        }
      }
    }
    print("verdict: \(name) at initialisation, largest Float80 defect of a guarantee \(worst)")
  }

  /// (1) n = 64, every target, randn and he initialisation, through 200 adam steps.
  @Test(arguments: ArchitectureRegistry.names)
  func guaranteedPropertiesReadExactAtNSixtyFour(name: String) {
    let n = 64
    var worst = 0.0
    for target in TargetKind.allCases {
      for scheme in [InitScheme.randn, .he] {
        let t = Trainer(
          architecture: ArchitectureRegistry.make(name, config: .init(n: n))!,
          problem: Problem(n: n, seed: 3, target: target), batch: 20,
          optimizer: Adam(eta: 1e-3), initScheme: scheme, seed: 11)
        for k in 0...2 {
          if k > 0 { for _ in 0..<100 { t.step() } }
          worst = max(
            worst,
            Self.expectGuaranteesExact(t, "\(name) n=64 \(target) \(scheme) step \(t.iteration)"))
        }
      }
    }
    print("verdict: \(name) n=64, largest Float80 defect of a guarantee \(worst)")
  }

  /// (2) A deliberately broken architecture — a relative break of 1e-13 or of 1e-2 — reads ✗ on
  /// every property it claims, on every target, before and after training, at n = 5 and 64.
  @Test(arguments: StructureVerdictTests.guaranteeing)
  func brokenGuaranteesAlwaysReadViolated(name: String) {
    var smallest = Double.infinity
    for delta in [1e-13, 1e-2] {
      for (n, seeds) in [(5, UInt64(1)...4), (64, UInt64(1)...1)] {
        for target in TargetKind.allCases {
          for seed in seeds {
            let arch = BrokenArchitecture(
              base: ArchitectureRegistry.make(name, config: .init(n: n))!, delta: delta)
            let t = Trainer(
              architecture: arch, problem: Problem(n: n, seed: seed, target: target), batch: 20,
              optimizer: Adam(eta: 1e-2), initScheme: n > 5 ? .he : .randn, seed: seed &+ 9)
            for phase in ["before", "after"] {
              let d = t.diagnostics()
              for p in arch.guarantees {
                #expect(
                  d.verdict(p) == .violated,
                  """
                  \(name) δ=\(delta) n=\(n) \(target) seed \(seed) \(phase) \(p): \
                  \(d.verdict(p)), Float80 \(d.extendedDefects[p] ?? .nan)
                  """)
                if delta < 1e-12 { smallest = min(smallest, d.extendedDefects[p] ?? .nan) }
              }
              for _ in 0..<(n > 5 ? 20 : 300) { t.step() }
            }
          }
        }
      }
    }
    print("verdict: broken \(name) at δ = 1e-13, smallest Float80 defect \(smallest)")
  }

  /// (3) A vanilla model driven to divergence (η = 1e40 as `sptop run --eta 1e40`, the session's
  /// seeding): its non-finite values read "—" (notFinite), never ✗ and never EXACT.
  @Test func divergedVanillaShowsNoViolation() {
    for seed in UInt64(1)...4 {
      let t = Trainer(
        architecture: VanillaMLP(n: 5), problem: Problem(n: 5, seed: seed), batch: 20,
        optimizer: SGD(eta: 1e40), initScheme: .randn, seed: Problem.modelSeed(seed, slot: 0))
      for _ in 0..<100 where t.step() {}
      #expect(t.diverged)
      let d = t.diagnostics()
      var nonFinite = 0
      for p in StructureProperty.allCases {
        #expect(d.verdict(p) != .violated, "seed \(seed) \(p)")
        if !d.value(of: p).isFinite {
          nonFinite += 1
          #expect(d.verdict(p) == .notFinite, "seed \(seed) \(p)")
        }
      }
      // The user's case (seed 1): some values are not finite.
      #expect(seed != 1 || nonFinite > 0, "the diverged model's values stayed finite")
    }
  }

  /// The Float80 reference computes the same function as the float64 evaluation (to 1e-12 of
  /// the outputs' size), so the verdict is about the model the user sees.
  @Test(arguments: ArchitectureRegistry.names)
  func extendedEvaluationAgreesWithTheFloat64One(name: String) {
    for (n, width) in [(5, 5), (5, 10), (17, 9)] {
      let arch = ArchitectureRegistry.make(name, config: .init(n: n, width: width))!
      var rng = Xoshiro256(seed: UInt64(n * width))
      var p = [Double](repeating: 0, count: arch.layout.count)
      p.withUnsafeMutableBufferPointer {
        arch.initialize($0.baseAddress!, scheme: .randn, rng: &rng)
      }
      let m = 7
      let X = (0..<(n * m)).map { _ in rng.normal() }
      var Y = [Double](repeating: 0, count: n * m)
      var ws = [Double](repeating: 0, count: arch.workspaceSize(batch: m))
      arch.evaluate(p, X, m: m, into: &Y, workspace: &ws)
      let X80 = X.map { Float80($0) }
      var Y80 = [Float80](repeating: 0, count: n * m)
      arch.evaluateExtended(p, X80, m: m, into: &Y80)
      let diff = zip(Y, Y80).map { Double(Float80($0) - $1) }
      let size = Y.map { $0 * $0 }.reduce(0, +).squareRoot()
      let error = diff.map { $0 * $0 }.reduce(0, +).squareRoot()
      #expect(size > 0 && error <= 1e-12 * size, "\(name) n=\(n) w=\(width): \(error) of \(size)")
    }
  }
}
