import Foundation
import SPEngine
import SPNumerics
import SPTUI
import Testing

/// A fixed, hand-made session snapshot: every number on it is known, so screens are stable.
enum Fixtures {
  static func history(_ f: (Int) -> Double, count: Int) -> History {
    var h = History(capacity: 64)
    for i in 0..<count { h.append(iteration: i, value: f(i)) }
    return h
  }

  static func model(
    _ name: String, eta: Double = 0.001, decay: Double, hom: (Double) -> Double,
    status: ModelStatus = .training, resets: [Int] = []
  ) -> ModelSnapshot {
    let lambdas = Probe.linRange(-10, 10, 100)
    let linear = name == "linear"
    let structure = StructureMetrics(additivity: hom(1) / 3, homogeneity: lambdas.map(hom))
    let guarantees: Set<StructureProperty> =
      linear ? [.additivity, .homogeneity, .positiveHomogeneity, .oddness] : []
    var diagnostics = ModelDiagnostics(
      n: 5, aprioriError: exp(-decay * 400), structure: structure,
      homogeneity: structure.maxHomogeneity, positiveHomogeneity: linear ? 0 : 0.25,
      offset: linear ? 0 : 0.75, oddness: linear ? 1e-17 : 0.4, energy: 0.3,
      mass: linear ? 2e-16 : 0.6, deadUnits: linear ? nil : 2, reluUnits: linear ? 0 : 10,
      guarantees: guarantees)
    // The Float80 defects: rounding level (1e-19) where linear holds a property (mass by
    // measurement only), the float64 value elsewhere.
    for p in StructureProperty.allCases {
      let holds = linear && (guarantees.contains(p) || p == .mass)
      diagnostics.extendedDefects[p] = holds ? 1e-19 : diagnostics.value(of: p)
    }
    var m = ModelSnapshot(
      label: name, architecture: name, formula: name, eta: eta, optimizer: "sgd", iteration: 400,
      status: status, loss: 2 * exp(-decay * 400), aprioriError: exp(-decay * 400),
      initialAprioriError: 1.5,
      structure: StructureMetrics(
        additivity: hom(1) / 3, homogeneity: lambdas.map(hom)),
      lossHistory: history(
        { 2 * exp(-decay * Double($0)) * (1 + 0.3 * sin(Double($0))) }, count: 400),
      aprioriHistory: history({ exp(-decay * Double($0)) }, count: 400), resets: resets,
      stepsPerSecond: 250_000, parameterCount: 90, diagnostics: diagnostics,
      guarantees: guarantees)
    m.waterfall = (0..<40).map { k in
      WaterfallRow(step: k * 10, values: lambdas.map { hom($0) * exp(-Double(k) / 10) })
    }
    return m
  }

  static func snapshot(state: SessionState = .running, diverged: Bool = false) -> SessionSnapshot {
    SessionSnapshot(
      settings: SessionSettings(iterations: 5000), state: state, step: 400,
      stepsPerSecond: 123_456, elapsed: 3725.5,
      models: [
        model("vanilla", decay: 0.005, hom: { 0.2 + 0.05 * abs($0) }),
        model(
          "penalized", eta: 0.004, decay: 0.001, hom: { 1 / (1 + abs($0)) },
          status: diverged ? .diverged : .training, resets: [150]),
        model("linear", decay: 0.02, hom: { abs($0) < 5 ? 0 : 1.1e-16 }),
      ], version: 1, lambdas: Probe.linRange(-10, 10, 100))
  }

  /// Compares a buffer with a golden screen in Snapshots/NAME.txt; with SPTOP_RECORD=1 writes it.
  static func expectScreen(
    _ buffer: Buffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Snapshots/\(name).txt")
    let actual = buffer.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["SPTOP_RECORD"] == "1" {
      try? actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "no golden screen \(name).txt; record with SPTOP_RECORD=1. Screen:\n\(actual)",
        sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
      Issue.record(
        "screen \(name) differs from the golden file at line \(first + 1). Screen:\n\(actual)",
        sourceLocation: sourceLocation)
    }
  }
}
