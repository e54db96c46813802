import ArgumentParser
import Foundation
import SPConfig
import SPEngine

/// One configuration of a sweep, checked as `sptop run` checks its flags.
struct SweepConfiguration {
  var index: Int
  var settings: SessionSettings
  var seeds: [UInt64]
  var logEvery: Int
  var evalEvery: Int
  /// Model-steps it trains: iterations × models × seeds.
  var modelSteps: Double {
    Double(settings.iterations) * Double(settings.models.count) * Double(seeds.count)
  }
}

/// A sweep's folder: `sweep.json` (the plan), `spec.toml` (the spec's text), `logs/` (one log per
/// configuration, written as `.partial` and renamed when complete), `summary.csv`,
/// `summary.json`, `figures/`, and for Slurm `sweep.sbatch` and `slurm/`.
struct SweepFolder {
  var folder: String
  var record: SweepRecord
  var configurations: [SweepConfiguration]

  var plan: SweepPlan { record.plan }
  var logs: String { folder + "/logs" }
  var recordPath: String { folder + "/sweep.json" }
  var specCopy: String { folder + "/spec.toml" }

  func logPath(_ k: Int) -> String { logs + "/" + plan.logName(k) }
  func partialPath(_ k: Int) -> String { logPath(k) + ".partial" }

  /// Reads and checks `spec`, and makes (or reopens) the folder `out` for it: a folder made by
  /// another spec, or a non-empty folder that is not a sweep's, is refused unless `force`.
  /// With `dryRun` nothing is written.
  static func prepare(spec: String, out: String, yes: Bool, force: Bool, dryRun: Bool) throws
    -> SweepFolder
  {
    let (plan, text): (SweepPlan, String)
    do {
      (plan, text) = try SweepSpec.load(path: spec)
    } catch {
      throw CommandFailure(message: error.description)
    }
    if plan.axes.isEmpty {
      throw CommandFailure(
        message: "\(spec): [grid] is empty; list at least one flag's values, such as "
          + "eta = [0.001, 0.01] (one configuration alone is `sptop run --seeds`)")
    }
    if plan.count > SweepPlan.confirmLimit && !yes {
      throw CommandFailure(
        message:
          "\(spec): the grid has \(plan.count == .max ? "too many" : ProgressLine.count(plan.count)) "
          + "configurations, more than \(ProgressLine.count(SweepPlan.confirmLimit)); add --yes to run them"
      )
    }
    if plan.count == .max {
      throw CommandFailure(message: "\(spec): the grid's configurations cannot be counted")
    }
    let configurations = try check(plan, spec: spec, text: text)
    let absolute = URL(fileURLWithPath: spec).standardizedFileURL.path
    var sweep = SweepFolder(
      folder: out, record: SweepRecord(spec: absolute, plan: plan),
      configurations: configurations)
    if dryRun { return sweep }
    try sweep.claim(force: force, specText: text, specPath: spec)
    return sweep
  }

  /// Opens the sweep folder `dir` (collect): its plan, checked again.
  static func open(_ dir: String) throws -> SweepFolder {
    let path = dir + "/sweep.json"
    guard FileManager.default.fileExists(atPath: path) else {
      throw CommandFailure(
        message: "\(dir): not a sweep folder (no sweep.json); give the --out folder of "
          + "`sptop sweep`")
    }
    let record: SweepRecord
    do {
      record = try JSONDecoder().decode(
        SweepRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw CommandFailure(message: "\(path): not a sweep's plan (\(error.localizedDescription))")
    }
    let configurations = try check(record.plan, spec: path, text: "")
    return SweepFolder(folder: dir, record: record, configurations: configurations)
  }

  /// Each configuration's flags parsed and checked as `sptop run` does; an error names the
  /// spec's line and column of the flag, the configuration and what the flag accepts.
  static func check(_ plan: SweepPlan, spec: String, text: String) throws -> [SweepConfiguration] {
    var out: [SweepConfiguration] = []
    out.reserveCapacity(plan.count)
    for k in 1...plan.count {
      do {
        let run = try Run.parse(plan.arguments(k))
        let settings = try run.training.settings()
        if settings.iterations == 0 {
          throw ValidationError(
            "--iterations: 0 trains until stopped; a sweep needs a number of steps")
        }
        let (e, v) = run.recording.intervals(iterations: settings.iterations)
        out.append(
          SweepConfiguration(
            index: k, settings: settings, seeds: run.ensemble.spec?.seeds ?? [settings.seed],
            logEvery: e, evalEvery: v))
      } catch {
        let message = Run.message(for: error)
        let flag =
          message.hasPrefix("--")
          ? String(message.dropFirst(2).prefix { $0 != ":" && $0 != " " }) : ""
        let swept = plan.axes.contains { $0.name == flag }
        let place =
          SweepSpec.place(of: flag, in: swept ? "grid" : "base", text: text)
          ?? (flag == "seeds"
            ? SweepSpec.place(of: "seed", in: swept ? "grid" : "base", text: text) : nil)
        let at = place.map { "\(spec):\($0.line):\($0.column)" } ?? spec
        let which =
          plan.axes.isEmpty || !swept
          ? "[base] \(flag)" : "[grid] \(flag), configuration \(k) (\(plan.label(k)))"
        throw CommandFailure(message: "\(at): \(which): \(message)")
      }
    }
    return out
  }

  /// Makes the folder this sweep's: creates it, or checks that it is this spec's (or empty),
  /// then writes `sweep.json` and `spec.toml`.
  mutating func claim(force: Bool, specText: String, specPath: String) throws {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CommandFailure(message: "--out \(folder): is a file, not a folder")
      }
      if let old = try? JSONDecoder().decode(
        SweepRecord.self, from: Data(contentsOf: URL(fileURLWithPath: recordPath)))
      {
        if old.plan != plan && !force {
          throw CommandFailure(
            message: "--out \(folder): made by another sweep spec (\(old.spec), "
              + "\(old.configurations) configurations); use another folder, or add --force to "
              + "use it for this one")
        }
        record.shards = old.plan == plan ? old.shards : nil
      } else if !((try? fm.contentsOfDirectory(atPath: folder)) ?? []).isEmpty && !force {
        throw CommandFailure(
          message: "--out \(folder): a folder with files and no sweep.json, not a sweep's; give "
            + "a new or empty folder, or add --force to use it")
      }
    }
    do {
      try fm.createDirectory(atPath: logs, withIntermediateDirectories: true)
    } catch {
      throw CommandFailure(
        message: "--out \(folder): cannot be created (\(error.localizedDescription))")
    }
    try writeRecord()
    // The spec's text beside the logs (the Slurm script runs it); never written over the spec
    // itself when the spec given is that copy.
    let same =
      URL(fileURLWithPath: specPath).resolvingSymlinksInPath().path
      == URL(fileURLWithPath: specCopy).resolvingSymlinksInPath().path
    if !same {
      try write(Data(specText.utf8), to: specCopy)
    }
  }

  func writeRecord() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try write(try encoder.encode(record), to: recordPath)
  }

  /// Notes in `sweep.json` that the folder is run in `count` shards (for collect's commands).
  func noteShards(_ count: Int) throws {
    guard record.shards != count else { return }
    var copy = self
    copy.record.shards = count
    try copy.writeRecord()
  }

  /// Writes `data` to `path` through a temporary file renamed over it: a reader never sees half.
  func write(_ data: Data, to path: String) throws {
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw CommandFailure(message: "\(path): cannot be written (\(error.localizedDescription))")
    }
  }

  enum State {
    case complete(SweepOutcome)
    case missing
    case unfinished
    case invalid(String)
  }

  /// Where configuration `k` stands: its log complete (and of this configuration), absent,
  /// started and not finished (a `.partial` log), or a log that is not complete.
  func state(_ k: Int) -> State {
    let c = configurations[k - 1]
    if FileManager.default.fileExists(atPath: logPath(k)) {
      do {
        return .complete(
          try SweepOutcome.read(path: logPath(k), settings: c.settings, seeds: c.seeds))
      } catch {
        return .invalid(error.description)
      }
    }
    return FileManager.default.fileExists(atPath: partialPath(k)) ? .unfinished : .missing
  }

  /// Re-runs configuration `k`'s log seed by seed and checks every record bit for bit
  /// (`sptop verify`); nil when it is identical, else what differs.
  func verifyBitForBit(_ k: Int) -> String? {
    let contents: SessionLogContents
    do {
      contents = try LogReader.read(path: logPath(k))
    } catch {
      return "\(error)"
    }
    for seed in contents.header.seeds ?? [] {
      if let d = LogVerifier.verify(contents.session(seed: seed)).difference {
        return "seed \(seed): first difference at \(d)"
      }
    }
    return nil
  }

  /// Prints each unfinished configuration on stderr with its shard, and the commands that run
  /// exactly those again; returns the one-line failure.
  func missingReport(_ problems: [(config: Int, why: String)]) -> String {
    let shards = record.shards ?? plan.count
    var lines: [String] = []
    for (k, why) in problems.prefix(50) {
      lines.append(
        "  config \(k) (\(plan.label(k))), shard \(SweepShard.of(k, shards: shards)): \(why)")
    }
    if problems.count > 50 { lines.append("  … and \(problems.count - 50) more") }
    let tasks = Array(Set(problems.map { SweepShard.of($0.config, shards: shards).index })).sorted()
    let spec = FileManager.default.fileExists(atPath: specCopy) ? specCopy : record.spec
    lines.append("rerun them here:")
    for t in tasks.prefix(20) {
      lines.append(
        "  sptop sweep \(shellQuoted(spec)) --out \(shellQuoted(folder)) --shard \(t)/\(shards)")
    }
    if tasks.count > 20 {
      lines.append("  … (\(tasks.count) shards; or all at once without --shard)")
    }
    if FileManager.default.fileExists(atPath: folder + "/sweep.sbatch") {
      lines.append(
        "or on Slurm: sbatch --array=\(tasks.map { String($0 - 1) }.joined(separator: ",")) "
          + shellQuoted(folder + "/sweep.sbatch"))
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    return "sweep collect \(folder): \(problems.count) of \(plan.count) configurations are not "
      + "finished (listed above); nothing was summarised"
  }

  /// summary.csv, summary.json and figures/*.svg.
  func writeSummary(_ summary: SweepSummary) throws {
    try write(Data(summary.csv.utf8), to: folder + "/summary.csv")
    try write(Data(summary.json.utf8), to: folder + "/summary.json")
    let figures = folder + "/figures"
    do {
      try FileManager.default.createDirectory(atPath: figures, withIntermediateDirectories: true)
    } catch {
      throw CommandFailure(message: "\(figures): cannot be created (\(error.localizedDescription))")
    }
    for (name, plot) in summary.figures {
      try write(Data(plot.render().utf8), to: figures + "/" + name)
    }
  }
}

/// `s` as one shell word.
func shellQuoted(_ s: String) -> String {
  s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }
    ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
