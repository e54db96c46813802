import Foundation
import SPEngine

/// The end-of-run table of `sptop run`: one row per model.
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
    let widths = header.indices.map { c in
      ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, s in
        let pad = String(repeating: " ", count: widths[c] - s.count)
        return c < 2 ? s + pad : pad + s
      }.joined(separator: "  ")
    }
    var out = "sptop run: n=\(r.settings.n) seed=\(r.settings.seed) batch=\(r.settings.batch) "
    out += "optimizer=\(r.settings.optimizer) eta=\(r.settings.eta) init=\(r.settings.`init`) "
    out += "steps=\(r.steps)\n"
    out += line(header) + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
  }

  /// Three significant digits in scientific notation; "—" for a non-finite value (null in JSON).
  static func sci(_ v: Double?) -> String {
    guard let v else { return "—" }
    return String(format: "%.3e", v)
  }
}
