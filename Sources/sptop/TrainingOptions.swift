import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// The training flags shared by the dashboard and `sptop run`.
struct TrainingOptions: ParsableArguments {
  @Option(
    help:
      "Comma-separated lineup of models (\(ArchitectureRegistry.names.joined(separator: ", "))).")
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

  @Option(
    help: ArgumentHelp(
      "Optimiser: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))."))
  var optimizer: String = "sgd"

  @Option(parsing: .unconditional, help: "Weight w of the penalized model's homogeneity penalty.")
  var penaltyWeight: Double = 1

  @Option(
    name: .customLong("init"),
    help: ArgumentHelp(
      "Initial parameters: randn (as the seed), scaled (matrices randn/√fan-in) or he "
        + "(matrices randn·√(2/fan-in), biases 0)."))
  var initScheme: String = "randn"

  @Option(
    help: ArgumentHelp(
      "Target structure: \(TargetKind.allCases.map(\.rawValue).joined(separator: ", ")) "
        + "(general is the seed's f(x) = A x)."))
  var target: String = "general"

  @Option(
    parsing: .unconditional,
    help: "Hidden width of the MLP family (B1 width×n, B2 width×width, B3 n×width); default n.")
  var width: Int?

  /// The settings these flags describe, checked: the error names the flag and what it accepts.
  func settings() throws -> SessionSettings {
    guard let opt = OptimizerKind(rawValue: optimizer) else {
      throw ValidationError(
        "--optimizer: unknown optimiser '\(optimizer)'; known: "
          + OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))
    }
    guard let scheme = InitScheme(rawValue: initScheme) else {
      throw ValidationError(
        "--init: unknown scheme '\(initScheme)'; known: "
          + InitScheme.allCases.map(\.rawValue).joined(separator: ", "))
    }
    guard let targetKind = TargetKind(rawValue: target) else {
      throw ValidationError(
        "--target: unknown target '\(target)'; known: "
          + TargetKind.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let lineup: [String]
    do {
      lineup = try CommaList.items(models, flag: "--models")
    } catch {
      throw ValidationError("\(error)")
    }
    let s = SessionSettings(
      models: lineup, n: n, seed: seed, eta: eta, batch: batch, iterations: iterations,
      optimizer: opt, penaltyWeight: penaltyWeight, initScheme: scheme, target: targetKind,
      width: width)
    do {
      try s.validate()
    } catch {
      throw ValidationError("\(error)")
    }
    return s
  }

  func validate() throws {
    _ = try settings()
  }
}
