import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// `sptop bench`: speed figures, each printed with its definition.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure time per training step and the whole seed run; print the figures.")

  @Option(help: "Comma-separated problem sizes for the per-step figures.")
  var sizes: String = "5,50,200"

  @Option(help: "Repetitions per figure; the median is reported.")
  var reps: Int = 7

  @Flag(help: "Print one JSON object instead of the table.")
  var json = false

  func validate() throws {
    if !(1...1000).contains(reps) { throw ValidationError("--reps: must be 1…1000, got \(reps)") }
    _ = try parsedSizes()
  }

  func parsedSizes() throws -> [Int] {
    let parts = sizes.split(separator: ",").map {
      Int(String($0).trimmingCharacters(in: .whitespaces))
    }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 2000 }) else {
      throw ValidationError("--sizes: give comma-separated integers 1…2000, got '\(sizes)'")
    }
    return parts.map { $0! }
  }

  struct StepFigure: Encodable {
    var model: String
    var n: Int
    var `init`: String
    var batch: Int
    var us_per_step: Double
    var steps_timed: Int
  }

  struct Figures: Encodable {
    var build: String
    var step: [StepFigure]
    var seed_run_ms: Double
    var seed_run_definition: String
  }

  func run() throws {
    var figures: [StepFigure] = []
    for n in try parsedSizes() {
      for model in SessionSettings.defaultModels {
        figures.append(stepFigure(model: model, n: n))
        if !json {
          let f = figures.last!
          print(
            "step  \(f.model.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(f.n)"
              + "  init=\(f.`init`)  \(String(format: "%10.3f", f.us_per_step)) µs/step")
        }
      }
    }
    let seedRun = seedRunMilliseconds()
    let definition =
      "the seed experiment in-process: vanilla, penalized, linear, 5000 steps each, n=5, "
      + "batch 20, sgd η=0.001, from session start to result"
    #if DEBUG
      let build = "debug"
    #else
      let build = "release"
    #endif
    if json {
      let enc = JSONEncoder()
      enc.outputFormatting = [.sortedKeys]
      let data = try enc.encode(
        Figures(build: build, step: figures, seed_run_ms: seedRun, seed_run_definition: definition))
      print(String(decoding: data, as: UTF8.self))
    } else {
      print("seed  \(String(format: "%.3f", seedRun)) ms  (\(definition))")
      print("build \(build); figures are medians of \(reps) repetitions, one core, float64")
    }
  }

  /// Median µs per training step: batch 20, sgd; n ≥ 50 uses scaled init so training stays finite.
  func stepFigure(model: String, n: Int) -> StepFigure {
    let scheme: InitScheme = n >= 50 ? .scaled : .randn
    let problem = Problem(n: n, seed: 1)
    let arch = ArchitectureRegistry.make(model, config: .init(n: n))!
    let trainer = Trainer(
      architecture: arch, problem: problem, batch: 20, optimizer: SGD(eta: 0.001),
      initScheme: scheme, seed: Problem.modelSeed(1, slot: 0))
    // Size a repetition to take about 20 ms.
    var k = 1
    while true {
      let t0 = monotonicSeconds()
      for _ in 0..<k { step(trainer) }
      if monotonicSeconds() - t0 > 0.02 || k >= 1 << 22 { break }
      k *= 2
    }
    var times: [Double] = []
    for _ in 0..<reps {
      let t0 = monotonicSeconds()
      for _ in 0..<k { step(trainer) }
      times.append((monotonicSeconds() - t0) / Double(k))
    }
    times.sort()
    return StepFigure(
      model: model, n: n, init: scheme.rawValue, batch: 20, us_per_step: times[reps / 2] * 1e6,
      steps_timed: k * reps)
  }

  private func step(_ t: Trainer) {
    if !t.step() { t.reinitialize() }
  }

  /// Median milliseconds of the default headless session, in process.
  func seedRunMilliseconds() -> Double {
    var times: [Double] = []
    for _ in 0..<reps {
      let t0 = monotonicSeconds()
      let session = try! TrainingSession(
        settings: SessionSettings(), publishInterval: 1, stopsWhenDone: true)
      session.start()
      session.waitUntilFinished()
      times.append(monotonicSeconds() - t0)
    }
    times.sort()
    return times[reps / 2] * 1e3
  }
}
