import Foundation

/// What a finished configuration's log says: its header (settings, seeds, probe λ) and its end
/// record (every seed's final figures).
public struct SweepOutcome: Sendable {
  public var header: SessionLog.Header
  public var end: SessionLog.End

  /// Reads the first and the last line of a configuration's log. The log is complete when both
  /// parse, the end says the session ran its iterations (`done`) and the header names
  /// `settings` and `seeds`; otherwise the error says what is wrong with it.
  public static func read(
    path: String, settings: SessionSettings, seeds: [UInt64]
  ) throws(SweepError) -> SweepOutcome {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw SweepError("\(path): cannot be read (\(error.localizedDescription))")
    }
    // The file is mapped, not copied: only its first and last lines are read.
    guard let firstBreak = data.firstIndex(of: 10) else {
      throw SweepError("\(path): incomplete (no end record)")
    }
    var last = data.endIndex
    while last > data.startIndex && data[last - 1] == 10 { last -= 1 }
    let lastStart = (data[..<last].lastIndex(of: 10) ?? data.startIndex - 1) + 1
    let decoder = JSONDecoder()
    let header: SessionLog.Header
    let end: SessionLog.End
    do {
      header = try decoder.decode(
        SessionLog.Header.self, from: data.subdata(in: data.startIndex..<firstBreak))
    } catch {
      throw SweepError("\(path):1: not a session log's header")
    }
    do {
      end = try decoder.decode(SessionLog.End.self, from: data.subdata(in: lastStart..<last))
    } catch {
      throw SweepError("\(path): incomplete (its last line is not an end record)")
    }
    guard end.type == "end", end.reason == "done" else {
      throw SweepError("\(path): incomplete (the session ended by \(end.reason))")
    }
    var expected = settings
    expected.seed = seeds.first ?? settings.seed
    guard header.settings == expected, header.seeds == seeds else {
      throw SweepError("\(path): records another configuration than this sweep's")
    }
    return SweepOutcome(header: header, end: end)
  }

  /// A final figure of one end entry (`SweepSummary.figures`), nil when not finite; the
  /// homogeneity maximum over λ ≠ 0 as the session computes it (nil if any is not finite).
  public func value(_ figure: String, of m: SessionLog.EndModel) -> Double? {
    switch figure {
    case "apriori_error": return m.apriori_error
    case "loss": return m.loss
    case "additivity_error": return m.additivity_error
    case "homogeneity_error_max":
      let lambdas = header.probe.lambdas
      var top = 0.0
      for (k, h) in m.homogeneity_error.enumerated()
      where lambdas.count != m.homogeneity_error.count || lambdas[k] != 0 {
        guard let h else { return nil }
        top = max(top, h)
      }
      return top
    default: return nil
    }
  }
}

/// A sweep's summary: for each configuration and model, the swept values, the seeds and
/// diverged seeds, and the median, quartiles and extremes of each final figure over the seeds
/// that did not diverge and where it is finite. Nothing in it depends on time, host or threads: the same sweep gives the
/// same bytes.
public struct SweepSummary: Sendable {
  public static let figures = EnsembleResult.figures
  public static let statistics = ["median", "q1", "q3", "min", "max"]

  public struct Row: Sendable {
    public var config: Int
    public var log: String
    public var values: [String]
    public var model: String
    public var seeds: Int
    public var diverged: Int
    /// Per figure, each seed's value (NaN when not finite), in the seeds' order.
    public var perSeed: [[Double]]
    public var stats: [SeedStatistics]
  }

  public var plan: SweepPlan
  public var rows: [Row]

  /// A summary of rows already made (tests).
  init(plan: SweepPlan, rows: [Row]) {
    self.plan = plan
    self.rows = rows
  }

  /// Summarises `outcomes` (configuration index → its outcome), in configuration order.
  public init(plan: SweepPlan, outcomes: [Int: SweepOutcome]) {
    self.plan = plan
    var rows: [Row] = []
    for config in outcomes.keys.sorted() {
      let outcome = outcomes[config]!
      var byIndex: [Int: [SessionLog.EndModel]] = [:]
      for m in outcome.end.models { byIndex[m.index, default: []].append(m) }
      for index in byIndex.keys.sorted() {
        let entries = byIndex[index]!
        // A diverged seed's last finite figures say nothing of the model: left out, counted.
        let perSeed = Self.figures.map { f in
          entries.map { $0.status == "diverged" ? .nan : outcome.value(f, of: $0) ?? .nan }
        }
        rows.append(
          Row(
            config: config, log: plan.logName(config), values: plan.values(config),
            model: entries[0].name, seeds: entries.count,
            diverged: entries.filter { $0.status == "diverged" }.count, perSeed: perSeed,
            stats: perSeed.map(SeedStatistics.init)))
      }
    }
    self.rows = rows
  }

  static func number(_ x: Double?) -> String { x.map { $0.isFinite ? $0.description : "" } ?? "" }

  static func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
      ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  /// `summary.csv`: one row per configuration and model; empty cells where no seed's figure
  /// was finite.
  public var csv: String {
    // `seed_count`, not `seeds`: a sweep may have an axis named seeds.
    var head = ["config", "log"] + plan.axes.map(\.name) + ["model", "seed_count", "diverged"]
    for f in Self.figures { head += Self.statistics.map { "\(f)_\($0)" } }
    var out = head.joined(separator: ",") + "\n"
    for r in rows {
      var cells = [String(r.config), r.log] + r.values + [r.model, String(r.seeds)]
      cells.append(String(r.diverged))
      for s in r.stats {
        cells += [s.median, s.q1, s.q3, s.min, s.max].map(Self.number)
      }
      out += cells.map(Self.csvField).joined(separator: ",") + "\n"
    }
    return out
  }

  /// Per model, the configuration with the lowest median a-priori error (the first of equals);
  /// nil for a model no configuration has a finite median for.
  public var best: [(model: String, row: Row)] {
    var best: [String: Row] = [:]
    for r in rows {
      guard let m = r.stats[0].median else { continue }
      if let b = best[r.model], let bm = b.stats[0].median, bm <= m { continue }
      best[r.model] = r
    }
    return models.compactMap { name in best[name].map { (name, $0) } }
  }

  /// The models' names in the order they first appear (configuration, then lineup order).
  public var models: [String] {
    rows.reduce(into: [String]()) { if !$0.contains($1.model) { $0.append($1.model) } }
  }

  struct JSONFile: Encodable {
    struct Stats: Encodable {
      var count: Int
      var median: Double?
      var q1: Double?
      var q3: Double?
      var min: Double?
      var max: Double?
    }
    struct Row: Encodable {
      var config: Int
      var log: String
      var values: [String: String]
      var model: String
      var seed_count: Int
      var diverged: Int
      var figures: [String: Stats]
    }
    struct Best: Encodable {
      var model: String
      var config: Int
      var values: [String: String]
      var apriori_error_median: Double
    }
    var format = "sptop-sweep-summary"
    var version = 1
    var base: [String: String]
    var axes: [SweepPlan.Axis]
    var configurations: Int
    var quantiles = "linear interpolation between closest ranks (numpy.quantile's default)"
    var rows: [Row]
    var best: [Best]
  }

  /// `summary.json`: the same rows with the plan and, per model, the best configuration (keys
  /// sorted, numbers as Swift writes a Double: the shortest text that reads back the same).
  public var json: String {
    func values(_ r: Row) -> [String: String] {
      Dictionary(uniqueKeysWithValues: zip(plan.axes.map(\.name), r.values))
    }
    let file = JSONFile(
      base: plan.base, axes: plan.axes, configurations: plan.count,
      rows: rows.map { r in
        var figures: [String: JSONFile.Stats] = [:]
        for (f, s) in zip(Self.figures, r.stats) {
          figures[f] = JSONFile.Stats(
            count: s.count, median: s.median, q1: s.q1, q3: s.q3, min: s.min, max: s.max)
        }
        return JSONFile.Row(
          config: r.config, log: r.log, values: values(r), model: r.model, seed_count: r.seeds,
          diverged: r.diverged, figures: figures)
      },
      best: best.map {
        JSONFile.Best(
          model: $0.model, config: $0.row.config, values: values($0.row),
          apriori_error_median: $0.row.stats[0].median!)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    let data = (try? encoder.encode(file)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
