import Foundation
import SPEngine
import SPKernels
import SPNumerics

extension Bench {
  /// The lane engine (`LaneTraining`): many seeds of one vanilla MLP per SIMD lane, against the
  /// same seeds stepped one model at a time, on one thread and on every core; then the
  /// structured architectures' speed-up on one thread.
  func laneFigures() -> [Figure] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let n = 5
    let batch = 20
    let seedCount = 256
    let steps = 200
    func trainers() -> [Trainer] {
      (1...seedCount).map { s in
        Trainer(
          architecture: VanillaMLP(n: n), problem: Problem(n: n, seed: UInt64(s)), batch: batch,
          optimizer: SGD(eta: 0.001), initScheme: .randn, seed: UInt64(s))
      }
    }
    let modelSteps = Double(seedCount * steps)
    var figures: [Figure] = []
    let alone = trainers()
    let aloneSeconds = medianSeconds {
      for t in alone { for _ in 0..<steps { t.step() } }
    }
    figures.append(
      Figure(
        name: "256 seeds one at a time, 1 thread", value: aloneSeconds / modelSteps * 1e6,
        unit: "µs",
        definition:
          "time per model-step: vanilla n=5, batch 20, sgd, each seed's Trainer.step() in turn"))
    var perStep: [Int: Double] = [:]
    let counts = Array(Set([1, cores])).sorted()
    let measured = medianSeconds(
      ofEach: counts.map { threads in
        let lanes = trainers()
        return { _ = LaneTraining.train(lanes, steps: steps, threads: threads) }
      })
    for (threads, seconds) in zip(counts, measured) {
      perStep[threads] = seconds / modelSteps
      figures.append(
        Figure(
          name: "256 seeds as lanes, \(threads) thread\(threads == 1 ? "" : "s")",
          value: seconds / modelSteps * 1e6, unit: "µs",
          definition:
            "the same per model-step, \(LaneMLP.lanes) seeds a lane group (LaneTraining), \(steps)-step chunks"
        ))
    }
    if let one = perStep[1] {
      let flops = Double(Self.modelStepFlops(n: n, width: n, batch: batch))
      if let ghz = Self.clockGHz() {
        // Two FMA pipes: 4 doubles (AVX2) or 8 (AVX-512) × 2 flops × 2 a cycle.
        let perCycle = Kernels.avx512Available ? 32 : 16
        let peak = Double(perCycle) * ghz * 1e9
        figures.append(
          Figure(
            name: "lanes, fraction of float64 peak", value: flops / one / peak * 100, unit: "%",
            definition: String(
              format:
                "%d flops a model-step (products, sums, update) / time / (%d flops a cycle × %.2f GHz, /proc/cpuinfo)",
              Self.modelStepFlops(n: n, width: n, batch: batch), perCycle, ghz)))
      }
      if cores > 1, let all = perStep[cores] {
        figures.append(
          Figure(
            name: "lanes speed-up, \(cores) threads", value: one / all, unit: "×",
            definition:
              "throughput on \(cores) threads over 1, measured in turns; results identical (tested)"
          ))
      }
    }
    figures += structuredLaneFigures(n: n, batch: batch)
    return figures
  }

  /// The structured architectures on lanes against one seed at a time, one thread.
  func structuredLaneFigures(n: Int, batch: Int) -> [Figure] {
    let seedCount = 64
    let steps = 200
    let modelSteps = Double(seedCount * steps)
    let makes: [(String, () -> any Architecture)] = [
      ("odd", { OddMLP(n: n) }), ("mass", { MassMLP(n: n) }), ("skew", { SkewLinear(n: n) }),
    ]
    return makes.map { name, make in
      func trainers() -> [Trainer] {
        (1...seedCount).map { s in
          Trainer(
            architecture: make(), problem: Problem(n: n, seed: UInt64(s)), batch: batch,
            optimizer: SGD(eta: 0.001), initScheme: .randn, seed: UInt64(s))
        }
      }
      let alone = trainers()
      let aloneSeconds = medianSeconds {
        for t in alone { for _ in 0..<steps { t.step() } }
      }
      let lanes = trainers()
      let laneSeconds = medianSeconds {
        _ = LaneTraining.train(lanes, steps: steps, threads: 1)
      }
      return Figure(
        name: "\(name): lanes over one at a time", value: aloneSeconds / laneSeconds, unit: "×",
        definition: String(
          format: "%.2f → %.2f µs per model-step: %d seeds, n=%d, batch %d, sgd, 1 thread",
          aloneSeconds / modelSteps * 1e6, laneSeconds / modelSteps * 1e6, seedCount, n, batch))
    }
  }

  /// Floating-point operations of one training step of the vanilla MLP (n inputs, width w,
  /// batch m) with its target F = A X and the a-priori error: 2 per multiply-add of every
  /// product (target, three layers forward, three weight gradients, two back-propagations, the
  /// one-column forward pass), 1 per loss term, bias sum and ReLU, 2 per SGD update.
  static func modelStepFlops(n: Int, width w: Int, batch m: Int) -> Int {
    let layers = w * n + w * w + n * w
    let products = 2 * m * (n * n + layers + layers + (n * w + w * w)) + 2 * layers
    let params = layers + 2 * w + n
    return products + 3 * n * m + m * (2 * w + n) + 2 * m * w + 2 * params
  }

  /// The processor's clock as Linux reports it (the first `cpu MHz`), in GHz.
  static func clockGHz() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return nil
    }
    for line in text.split(separator: "\n") where line.hasPrefix("cpu MHz") {
      if let v = line.split(separator: ":").last.flatMap({
        Double($0.trimmingCharacters(in: .whitespaces))
      }) {
        return v / 1000
      }
    }
    return nil
  }
}
