import Foundation
import SPEngine
import SPNumerics

/// The summary as `sptop sweep` prints it: one row per configuration and model with the
/// a-priori error's median and quartiles, the additivity error's median and the diverged seeds,
/// then each model's best configuration.
enum SweepTable {
  /// A figure in 2 significant digits (`3.0e-01`), or `-` when there is none.
  static func short(_ x: Double?) -> String {
    x.map { String(format: "%.1e", $0) } ?? "-"
  }

  /// `3.0e-01 [2.4e-01 4.1e-01]`: the median and quartiles over the seeds.
  static func band(_ s: SeedStatistics) -> String {
    "\(short(s.median)) [\(short(s.q1)) \(short(s.q3))]"
  }

  static func render(_ summary: SweepSummary) -> String {
    let plan = summary.plan
    var head = ["config"] + plan.axes.map(\.name) + ["model", "seeds", "div"]
    head += ["a-priori median [q1 q3]", "additivity median"]
    var rows: [[String]] = [head]
    for r in summary.rows {
      rows.append(
        [String(r.config)] + r.values + [r.model, String(r.seeds), String(r.diverged)]
          + [band(r.stats[0]), short(r.stats[2].median)])
    }
    let widths = head.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var out = ""
    for row in rows {
      out +=
        zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
        .joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    let best = summary.best
    if !best.isEmpty {
      out += "\nlowest median a-priori error:\n"
      for (model, row) in best {
        out +=
          "  \(model): config \(row.config) (\(plan.label(row.config))) \(band(row.stats[0]))\n"
      }
    }
    return out
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}

/// `--dry-run`: the plan, the model-steps, a time estimate from a short calibration, memory.
enum SweepPlanPrinter {
  static func print(_ sweep: SweepFolder, jobs: Int, cores: Int) throws {
    let plan = sweep.plan
    var out = "sweep \(sweep.record.spec): \(ProgressLine.count(plan.count)) configurations\n"
    for axis in plan.axes {
      out += "  \(axis.name): \(axis.values.joined(separator: ", ")) (\(axis.values.count))\n"
    }
    for k in SweepPlan.keys where plan.base[k] != nil {
      out += "  \(k) = \(plan.base[k]!) (fixed)\n"
    }
    let steps = sweep.configurations.reduce(0.0) { $0 + $1.modelSteps }
    out += "model-steps: \(Self.big(steps))\n"
    // Calibration: the first and the last configuration, up to 8 of their seeds (one lane
    // group, as the sweep trains them), a few hundred steps.
    var seconds = 0.0
    var calibrated = 0.0
    for c in [sweep.configurations.first!, sweep.configurations.last!] {
      var s = c.settings
      s.iterations = min(300, s.iterations)
      let seeds = Array(c.seeds.prefix(8))
      let t0 = monotonicSeconds()
      _ = Ensemble.run(s, seeds: seeds, threads: 1)
      seconds += monotonicSeconds() - t0
      calibrated += Double(s.iterations) * Double(s.models.count) * Double(seeds.count)
    }
    let rate = calibrated / max(seconds, 1e-9)
    let parallel = Double(min(jobs, cores, plan.count))
    out +=
      "estimated time: \(Self.duration(steps / (rate * parallel))) on \(Int(parallel)) "
      + "cores (\(SweepRunner.rate(rate)) model-steps/s per core, measured on configurations 1 "
      + "and \(plan.count), up to 8 seeds each for 300 steps; recording adds a little)\n"
    let bytes = sweep.configurations.map { c in
      Double(c.settings.estimatedBytes() ?? 0) * Double(c.seeds.count)
    }
    let worst = bytes.max() ?? 0
    out +=
      "memory: models of the largest configuration \(Self.mib(worst)); "
      + "\(min(jobs, plan.count)) at once at most \(Self.mib(worst * Double(min(jobs, plan.count))))\n"
    out +=
      "output: \(sweep.folder)/logs/\(plan.logName(1)) … \(plan.logName(plan.count)), "
      + "summary.csv, summary.json, figures/\n"
    Swift.print(out, terminator: "")
  }

  static func big(_ x: Double) -> String {
    x >= 1e9
      ? String(format: "%.2fG", x / 1e9)
      : x >= 1e6 ? String(format: "%.2fM", x / 1e6) : ProgressLine.count(Int(x))
  }

  static func mib(_ bytes: Double) -> String { String(format: "%.1f MiB", bytes / 1_048_576) }

  static func duration(_ s: Double) -> String {
    guard s.isFinite else { return "unknown" }
    if s < 60 { return String(format: "%.0f s", max(1, s)) }
    if s < 3600 { return String(format: "%.0f min", s / 60) }
    return String(format: "%.1f h", s / 3600)
  }
}
