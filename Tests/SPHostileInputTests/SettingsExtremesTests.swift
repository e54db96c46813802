import Foundation
import PropertyBased
import SPEngine
import SPNumerics
import Testing

/// Extreme numbers for every training setting, and the engine's λ range at 1e308.
@Suite(.timeLimit(.minutes(2))) struct SettingsExtremesTests {
  /// Any integers and doubles: `validate` refuses with one line naming the setting (not a
  /// flag: the command line names those, from `SettingsError.setting`), or accepts
  /// settings whose memory estimate is within the limit; the estimate never traps (overflow).
  @Test func everySettingAtEveryExtremeValidatesOrRefusesInOneLine() async {
    let ints = Hostile.ints
    let doubles = Hostile.doubles
    await propertyCheck(
      count: 2000,
      input: Gen.int(in: 0..<ints.count).array(of: 5), Gen.int(in: 0..<doubles.count).array(of: 2)
    ) { i, d in
      let s = SessionSettings(
        n: ints[i[0]], eta: doubles[d[0]], batch: ints[i[1]], iterations: ints[i[2]],
        penaltyWeight: doubles[d[1]], width: i[3] % 3 == 0 ? nil : ints[i[4]])
      _ = s.estimatedBytes()
      do {
        try s.validate()
        let bytes = try #require(s.estimatedBytes())
        #expect(bytes <= SessionSettings.defaultMemoryLimit)
        #expect(s.n > 0 && s.hiddenWidth > 0 && s.batch > 0 && s.iterations >= 0)
        #expect(s.eta.isFinite && s.eta > 0 && s.penaltyWeight.isFinite && s.penaltyWeight >= 0)
      } catch {
        let text = "\(error)"
        #expect(Hostile.isOneLine(text) && !text.contains("--"), "\(text)")
        let setting = (error as? SettingsError)?.setting
        #expect(setting.map { text.hasPrefix($0.rawValue) } == true, "\(text)")
      }
    }
  }

  /// n = 10^9 is refused by the memory estimate, before anything is allocated.
  @Test func aBillionIsRefusedByTheMemoryEstimate() {
    let s = SessionSettings(n: 1_000_000_000)
    #expect(throws: SettingsError.self) { try s.validate() }
    #expect(s.estimatedBytes() == nil)
    #expect(throws: SettingsError.tooLargeToCount(n: 1_000_000_000, width: nil, batch: 20)) {
      try s.validate()
    }
    #expect(
      SettingsError.tooLargeToCount(n: 1_000_000_000, width: nil, batch: 20).description
        == "n 1000000000 with batch 20: too large to even count the memory it needs")
    // Large but countable: refused by the limit, naming both.
    let wide = SessionSettings(n: 2, width: 1_000_000)
    #expect(throws: SettingsError.self) { try wide.validate(memoryLimit: 1 << 30) }
  }

  /// No user input sets a λ range (the grid is −10…10, the penalty's λ is drawn from
  /// [−10, 10)); the engine's API takes one, and at ±1e308 it must not trap or hide a NaN:
  /// every homogeneity error is a number or +∞ (an overflowed output), never NaN, and the
  /// penalized model with λ up to 1e308 ends diverged or finite, its parameters finite.
  @Test(arguments: ArchitectureRegistry.names)
  func aLambdaRangeOf1e308(architecture: String) throws {
    let problem = Problem(n: 5, seed: 1, lambdaRange: -1e308...1e308)
    #expect(problem.probe.lambdas.allSatisfy { $0.isFinite })
    #expect(problem.probe.lambdas.first == -1e308 && problem.probe.lambdas.last == 1e308)
    let model = try #require(ArchitectureRegistry.make(architecture, config: .init(n: 5)))
    let trainer = Trainer(
      architecture: model, problem: problem, batch: 20,
      optimizer: OptimizerKind.adam.make(eta: 0.01),
      initScheme: .randn, seed: 7)
    for _ in 0..<50 { _ = trainer.step() }
    let structure = trainer.structure()
    #expect(!structure.homogeneity.contains { $0.isNaN }, "\(structure.homogeneity)")
    #expect(!structure.maxHomogeneity.isNaN)
    #expect(!structure.additivity.isNaN)
    let diagnostics = trainer.diagnostics()
    #expect(!diagnostics.homogeneity.isNaN && !diagnostics.positiveHomogeneity.isNaN)
    #expect(trainer.parameters.allSatisfy { $0.isFinite })
  }

  @Test func aPenaltyDrawingLambdaUpTo1e308() {
    let problem = Problem(n: 5, seed: 1)
    for model in [
      PenalizedMLP(n: 5, lambdaMax: 1e308) as any Architecture,
      PenalizedMLP(n: 5, lambdaMax: 1e308, scaling: .inverseSquare),
    ] {
      let trainer = Trainer(
        architecture: model, problem: problem, batch: 20,
        optimizer: OptimizerKind.sgd.make(eta: 1e-3),
        initScheme: .randn, seed: 3)
      for _ in 0..<50 { _ = trainer.step() }
      #expect(trainer.parameters.allSatisfy { $0.isFinite })
      #expect(trainer.diverged || trainer.lastLoss.isFinite)
      #expect(!trainer.lastAprioriError.isNaN)
    }
  }
}
