import Foundation
import SPEngine
import SPNumerics

/// The end-of-run tables of `sptop run`: one row per model for training and the seed's metrics,
/// then the structure matrix (one row per model, one column per structure property).
enum ResultTable {
  static func render(_ r: RunResult) -> String {
    let lambdaHeads = RunResult.tableLambdas.map { "hom λ=\(RunResult.lambdaKey($0))" }
    let header =
      ["model", "status", "loss", "a-priori error (initial → final)", "additivity"] + lambdaHeads
      + ["hom max", "steps/s"]
    var rows: [[String]] = []
    for m in r.models {
      let at = RunResult.tableLambdas.map {
        m.final.homogeneity_error_at[RunResult.lambdaKey($0)] ?? nil
      }
      rows.append(
        [
          m.name, m.status, sci(m.final.loss),
          "\(sci(m.initial.apriori_error)) → \(sci(m.final.apriori_error))",
          sci(m.final.additivity_error),
        ] + at.map(sci)
          + [sci(m.final.homogeneity_error_max), String(format: "%.0f", m.steps_per_second)])
    }
    var out = "sptop run: n=\(r.settings.n) seed=\(r.settings.seed) batch=\(r.settings.batch) "
    out += setting("optimizer", r.settings.optimizer, r.models.map(\.optimizer)) + " "
    out += setting("eta", "\(r.settings.eta)", r.models.map { "\($0.eta)" })
    out += " init=\(r.settings.`init`) "
    out += "target=\(r.settings.target) width=\(r.settings.width) steps=\(r.steps)\n"
    out += grid(header, rows, leftColumns: 2)
    let threshold = String(format: "%.0e", ModelDiagnostics.verdictThreshold)
    out += "\nstructure: EXACT: defect re-evaluated in Float80 ≤ \(threshold); "
    out += "✓ guaranteed by the architecture; ✗ guaranteed yet violated; — not finite; "
    out += "N = f?: can some parameters give N = f exactly\n"
    out += grid(structureHeader, r.models.map(structureRow), leftColumns: 1)
    return out
  }

  static let structureHeader =
    ["model"] + StructureProperty.allCases.map(\.rawValue) + [
      "offset ‖N(0)‖", "dead units", "N = f?",
    ]

  /// A row of the structure matrix: each property's cell from its verdict (the dashboard's,
  /// `ModelDiagnostics.verdict`): ✓ EXACT, EXACT, the value, ✗ and the value, or —.
  static func structureRow(_ m: RunResult.Model) -> [String] {
    let cells = StructureProperty.allCases.map { p in
      let value = m.final.properties[p.rawValue] ?? nil
      return switch m.final.verdicts[p.rawValue].flatMap(StructureVerdict.init(rawValue:)) {
      case .guaranteedExact: "✓ EXACT"
      case .exact: "EXACT"
      case .violated: "✗ " + sci(value)
      case .notFinite: "—"
      case .measured, nil: sci(value)
      }
    }
    let dead = m.final.dead_units.map { "\($0)/\(m.final.relu_units)" } ?? "—"
    return [m.name] + cells + [sci(m.final.offset), dead, m.represents_target ? "yes" : "no"]
  }

  /// Columns padded to their widest cell; the first `leftColumns` left-aligned, the rest right.
  static func grid(_ header: [String], _ rows: [[String]], leftColumns: Int) -> String {
    let widths = header.indices.map { c in
      ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, s in
        let pad = String(repeating: " ", count: widths[c] - s.count)
        return c < leftColumns ? s + pad : pad + s
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).map { $0 + "\n" }.joined()
  }

  /// A setting in the header as the session started, and what the models ended with where a
  /// fork's change or a live key changed it: `eta=0.001`, `eta=0.001 (0.002 at the end)`,
  /// `eta=0.001 (at the end 0.002, 0.001, 0.001 by model)`.
  static func setting(_ name: String, _ start: String, _ end: [String]) -> String {
    let text = "\(name)=\(start)"
    guard end.contains(where: { $0 != start }) else { return text }
    if Set(end).count == 1 { return text + " (\(end[0]) at the end)" }
    return text + " (at the end " + end.joined(separator: ", ") + " by model)"
  }

  /// Three significant digits in scientific notation; "—" for a non-finite value (null in JSON).
  static func sci(_ v: Double?) -> String {
    guard let v else { return "—" }
    return String(format: "%.3e", v)
  }

  /// The table of an ensemble: per model the seeds it diverged in, and the median [q1 q3] of
  /// each final figure over the seeds where it is finite; then the evidence against vanilla.
  static func render(_ r: EnsembleResult, spec: SeedSpec) -> String {
    let s = r.settings
    var out = "sptop run: n=\(s.n) seeds=\(spec.text) (\(s.seeds.count)) batch=\(s.batch) "
    // Every seed's models got the same commands and events: the first seed's say what they ran.
    let last = r.models.compactMap(\.seeds.first?.model)
    out += setting("optimizer", s.optimizer, last.map(\.optimizer)) + " "
    out += setting("eta", "\(s.eta)", last.map { "\($0.eta)" })
    out += " init=\(s.`init`) target=\(s.target) "
    out += "width=\(s.width) steps=\(r.steps) threads=\(s.threads)\n"
    let heads = ["loss", "a-priori error", "additivity", "hom max"]
    let figures = ["loss", "apriori_error", "additivity_error", "homogeneity_error_max"]
    let rows = r.models.map { m in
      [m.name, "\(m.diverged)/\(m.seeds.count)"]
        + figures.map { f in band(m.aggregate[f]) }
    }
    out += grid(["model", "diverged"] + heads, rows, leftColumns: 2)
    out += "median [q1 q3] over the seeds not diverged where the value is finite (quartiles: "
    out += "linear interpolation, numpy.quantile's default)\n"
    guard !r.evidence.isEmpty else {
      out += "evidence: no vanilla model in the lineup to compare with\n"
      return out
    }
    out += "evidence (exact two-sided sign test, seed by seed; ties and non-finite values left "
    out += "out):\n"
    for e in r.evidence {
      out += "  \(e.model) < \(e.against) on \(e.property) in \(e.lower_in)/\(e.of) seeds, "
      out += "p = \(e.pText)\n"
    }
    return out
  }

  /// "3.0e-01 [2.4e-01 4.1e-01]", or — when no seed has a finite value.
  static func band(_ s: SeedStatistics?) -> String {
    guard let s, let m = s.median, let a = s.q1, let b = s.q3 else { return "—" }
    return String(format: "%.1e [%.1e %.1e]", m, a, b)
  }
}
