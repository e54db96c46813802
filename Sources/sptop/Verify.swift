import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// `sptop verify LOG`: re-runs a recorded session and checks every number bit for bit.
struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-run a recorded session and check every recorded number bit for bit.")

  @Argument(help: "The session log (JSON Lines) to verify.")
  var log: String

  func run() throws {
    let contents = try LogCommands.read(log)
    // A fork: its parent (and theirs) first, each up to the step the next one branched at.
    var parents: [String] = []
    var child = contents
    do {
      while let parent = try SessionFork.readParent(of: child, read: LogCommands.read) {
        let step = child.header.parent!.step
        if let d = LogVerifier.forkDifference(child, parent: parent) {
          throw CommandFailure(
            message: "verify \(child.path): not the fork of \(parent.path) it names: \(d)")
        }
        // An ensemble's parent: every seed's session up to the fork's step.
        let checked = verifySessions(parent, upTo: step)
        if let (seed, d) = checked.failure {
          throw CommandFailure(
            message:
              "verify \(log): its parent \(parent.path)\(seed.map { ", seed \($0)" } ?? ""), "
              + "re-run up to the fork's step \(step): first difference at \(d)")
        }
        let seeds = parent.header.seeds.map { "\(EnsembleSummary.seedCount($0.count)), " } ?? ""
        parents.append(
          "the parent \(parent.path) (\(seeds)SHA-256 unchanged) re-runs to the fork's step "
            + "\(step) bit for bit (\(checked.metrics) metric and \(checked.evals) evaluation "
            + "records)")
        child = parent
      }
    } catch let error as SessionFork.Failure {
      throw CommandFailure(message: "verify \(error.description)")
    }
    let checked = verifySessions(contents)
    if let (seed, d) = checked.failure {
      throw CommandFailure(
        message: "verify \(log): \(seed.map { "seed \($0): " } ?? "")first difference at \(d)")
    }
    var line = "sptop verify: \(log): "
    if let seeds = contents.header.seeds { line += "\(seeds.count) seeds: " }
    line += "\(checked.metrics) metric records, \(checked.evals) evaluation records"
    if checked.ended {
      line += " and \(checked.parameters) final parameters are bit for bit identical"
    } else {
      line += " are bit for bit identical; the log has no end record (cut at line "
      line += "\(contents.lineCount)), so the final parameters were not checked"
    }
    for p in parents { line += "; " + p }
    print(line)
  }

  /// What `verifySessions` found: records and parameters checked, whether every end record was,
  /// and the first difference (with its seed in an ensemble's log).
  struct Checked {
    var metrics = 0
    var evals = 0
    var parameters = 0
    var ended = true
    var failure: (seed: UInt64?, difference: LogVerifier.Difference)?
  }

  /// `contents` re-run and checked up to `limit`: one session with its progress line, or an
  /// ensemble's every seed as a log of its own, the seeds spread over every core (each thread
  /// takes the next seed; after a difference no new seed starts, and the first in the seeds'
  /// order is reported), on a terminal the seeds and records checked and the time left.
  func verifySessions(_ contents: SessionLogContents, upTo limit: Int? = nil) -> Checked {
    guard let seeds = contents.header.seeds else {
      let report = verifyShowingProgress(contents, upTo: limit)
      return Checked(
        metrics: report.metricsChecked, evals: report.evalsChecked,
        parameters: report.parametersChecked, ended: report.endChecked,
        failure: report.difference.map { (nil, $0) })
    }
    let sessions = Unchecked(contents.sessions())
    let count = sessions.value.count
    let reports = Locked([LogVerifier.Report?](repeating: nil, count: count))
    let checked = Locked((seeds: 0, records: 0, shown: -Double.infinity))
    let records = max(
      1,
      limit.map { l in
        contents.metrics.filter { $0.record.step <= l }.count
          + contents.evals.filter { $0.record.step <= l }.count
      } ?? contents.metrics.count + contents.evals.count)
    // Drawn by one thread at a time, under `checked`'s lock.
    nonisolated(unsafe) let progress = ProgressLine()
    // The first difference found stops the seeds not yet started.
    Parallel.forEach(count, threads: ProcessInfo.processInfo.activeProcessorCount) { k in
      let report = LogVerifier.verify(sessions.value[k], upTo: limit)
      reports.withLock { $0[k] = report }
      checked.withLock { c in
        c.seeds += 1
        c.records += report.metricsChecked + report.evalsChecked
        let now = monotonicSeconds()
        guard now - c.shown >= 0.1 else { return }
        c.shown = now
        let fraction = Double(c.records) / Double(records)
        progress.show(
          "sptop verify\(limit == nil ? "" : " (parent)"): \(ProgressLine.count(c.seeds)) of "
            + "\(ProgressLine.count(count)) seeds, \(ProgressLine.count(c.records)) of "
            + "\(ProgressLine.count(records)) records checked, "
            + ProgressLine.eta(progress.elapsed / max(fraction, 1e-9) * (1 - fraction)))
      }
      return report.difference == nil
    }
    progress.clear()
    var out = Checked()
    for (seed, report) in zip(seeds, reports.withLock { $0 }) {
      guard let report else { continue }
      if let d = report.difference {
        out.failure = (seed, d)
        return out
      }
      out.metrics += report.metricsChecked
      out.evals += report.evalsChecked
      out.parameters += report.parametersChecked
      out.ended = out.ended && report.endChecked
    }
    return out
  }

  /// `LogVerifier.verify`, with records checked, steps re-run per second and the time left in
  /// place on a terminal.
  func verifyShowingProgress(_ contents: SessionLogContents, upTo limit: Int? = nil)
    -> LogVerifier.Report
  {
    let progress = ProgressLine()
    defer { progress.clear() }
    return LogVerifier.verify(contents, upTo: limit) { p in
      progress.show(
        {
          let rate = Double(p.step) / max(progress.elapsed, 1e-3)
          let last = min(p.lastStep, limit ?? .max)
          let left = Double(last - p.step) / max(rate, 1e-9)
          return
            "sptop verify\(limit == nil ? "" : " (parent)"): \(ProgressLine.count(p.checked)) of "
            + "\(ProgressLine.count(p.records)) records checked, step "
            + "\(ProgressLine.count(p.step)) of \(ProgressLine.count(last)), "
            + "\(ProgressLine.count(Int(rate))) steps/s, \(ProgressLine.eta(left))"
        }())
    }
  }
}

/// Reading logs for the log subcommands: warnings to stderr, errors as one line.
enum LogCommands {
  static func read(_ path: String) throws -> SessionLogContents {
    try read(path, preparing: nil) { $0 }
  }

  /// Reads the log at `path`, then makes what the command needs of it (`prepare`): on a
  /// terminal, a long log shows how much of it has been read, then `preparing` ("preparing the
  /// replay") until `prepare` returns, so no silent gap follows the last percent.
  static func read<T>(
    _ path: String, preparing: String?, _ prepare: (SessionLogContents) throws -> T
  ) throws -> T {
    let line = ProgressLine()
    defer { line.clear() }
    do {
      let contents = try LogReader.read(path: path) { p in
        line.show(
          {
            let fraction = Double(p.bytesRead) / Double(max(p.totalBytes, 1))
            let left = line.elapsed / max(fraction, 1e-9) * (1 - fraction)
            let rate = Double(p.bytesRead) / 1_048_576 / max(line.elapsed, 1e-3)
            return "sptop: reading \(path): \(Int(fraction * 100))% "
              + "(\(p.bytesRead >> 20) of \(p.totalBytes >> 20) MiB, "
              + "\(String(format: "%.0f", rate)) MiB/s), \(ProgressLine.count(p.lines)) lines, "
              + ProgressLine.eta(left)
          }())
      }
      if let preparing {
        line.showNow(
          "sptop: read \(path) (\(ProgressLine.count(contents.lineCount)) lines); \(preparing)")
      }
      let prepared = try prepare(contents)
      line.clear()
      for w in contents.warnings { Diagnostics.warn("\(w)") }
      return prepared
    } catch let error as LogError {
      throw CommandFailure(message: error.description)
    }
  }
}
