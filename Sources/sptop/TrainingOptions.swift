import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// The training flags shared by the dashboard and `sptop run`.
struct TrainingOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Comma-separated lineup of models ("
        + ArchitectureName.allValueStrings.joined(separator: ", ") + ")."))
  var models: String = SessionSettings.defaultModels.joined(separator: ",")

  @Option(parsing: .unconditional, help: "Problem size: f(x) = A x with A an n×n matrix.")
  var n: Int = 5

  @Option(
    parsing: .unconditional,
    help: "Seed of the random generator (A, xvalid, probes, initial parameters, samples).")
  var seed: UInt64 = 1

  @Option(
    parsing: .unconditional,
    help: "Learning rate η of every model (changeable live in the dashboard).")
  var eta: Double = 0.001

  @Option(parsing: .unconditional, help: "Samples per step; each step averages their gradients.")
  var batch: Int = 20

  @Option(parsing: .unconditional, help: "Steps to train; 0 trains until stopped.")
  var iterations: Int = 5000

  @Option(help: "Optimiser.")
  var optimizer = Choice(OptimizerKind.sgd)

  @Option(parsing: .unconditional, help: "Weight w of the penalized model's homogeneity penalty.")
  var penaltyWeight: Double = 1

  @Option(
    name: .customLong("init"),
    help: ArgumentHelp(
      "Initial parameters: randn (as the seed), scaled (matrices randn/√fan-in) or he "
        + "(matrices randn·√(2/fan-in), biases 0)."))
  var initScheme = Choice(InitScheme.randn)

  @Option(help: "Target structure (general is the seed's f(x) = A x).")
  var target = Choice(TargetKind.general)

  @Option(
    parsing: .unconditional,
    help: "Hidden width of the MLP family (B1 width×n, B2 width×width, B3 n×width); default n.")
  var width: Int?

  /// The settings these flags describe, checked: the error names the flag and what it accepts.
  func settings() throws(ValidationError) -> SessionSettings {
    let optimizer = try optimizer.value(flag: "--optimizer")
    let initScheme = try initScheme.value(flag: "--init")
    let target = try target.value(flag: "--target")
    let lineup = try commaList(models, flag: "--models").map { item throws(ValidationError) in
      try Choice<ArchitectureName>(argument: item).value(flag: "--models").rawValue
    }
    let s = SessionSettings(
      models: lineup, n: n, seed: seed, eta: eta, batch: batch, iterations: iterations,
      optimizer: optimizer, penaltyWeight: penaltyWeight, initScheme: initScheme, target: target,
      width: width)
    do {
      try s.validate()
    } catch {
      throw ValidationError(error.flagMessage)
    }
    return s
  }

  func validate() throws {
    _ = try settings()
  }
}
