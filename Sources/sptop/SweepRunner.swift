import Foundation
import SPEngine
import SPNumerics

/// Runs a sweep's unfinished configurations (or a shard's), `jobs` at a time, each an ensemble
/// recorded to `config-K.jsonl.partial` and renamed to `config-K.jsonl` once its end record is
/// written and synced — so a log under its final name is always complete, whenever the process
/// is killed. Configurations already complete are kept.
struct SweepRunner {
  var sweep: SweepFolder
  var jobs: Int
  var cores: Int
  var shard: SweepShard?
  /// Re-run each kept log bit for bit first (`--verify`); one that differs runs again.
  var verify = false

  /// One configuration training.
  struct Running {
    var config: SweepConfiguration
    var session: TrainingSession
    var started: Double
  }

  /// Runs what is left; returns how many of its configurations are finished. A signal stops
  /// every session (their logs stay `.partial`) and exits 128 + signal; a log that cannot be
  /// written stops the sweep with what it finished intact.
  func run() throws -> Int {
    let mine = sweep.configurations.filter { shard?.contains($0.index) ?? true }
    var todo: [SweepConfiguration] = []
    for c in mine {
      switch sweep.state(c.index) {
      case .complete: break
      case .invalid(let why):
        Diagnostics.warn("config \(c.index): \(why); running it again")
        todo.append(c)
      case .missing, .unfinished: todo.append(c)
      }
    }
    let total = mine.count
    if verify { todo += verifyKept(mine.filter { c in !todo.contains { $0.index == c.index } }) }
    todo.sort { $0.index < $1.index }
    let kept = total - todo.count
    let line = ProgressLine()
    let table = SweepLiveTable(plan: sweep.plan, isTerminal: line.enabled)
    if kept > 0 {
      FileHandle.standardError.write(
        Data(
          ("sptop sweep: \(kept) of \(total) configurations already finished in "
            + "\(sweep.folder)\(verify ? " (verified bit for bit)" : ""); running the other "
            + "\(todo.count)\n").utf8))
    }
    let threads = max(1, cores / max(1, min(jobs, todo.count)))
    let stop = Locked<(signal: Int32?, running: [TrainingSession])>((nil, []))
    let signals = SignalForwarder { sig in
      let sessions = stop.withLock { s in
        s.signal = s.signal ?? sig
        return s.running
      }
      for session in sessions { session.send(.terminate(signal: sig)) }
    }
    defer { withExtendedLifetime(signals) {} }
    var queue = todo[...]
    var running: [Running] = []
    var done = kept
    var doneSteps = 0.0
    let allSteps = todo.reduce(0) { $0 + $1.modelSteps }
    let start = monotonicSeconds()
    var failure: String?
    while failure == nil && (!queue.isEmpty || !running.isEmpty) {
      if stop.withLock({ $0.signal }) == nil {
        while running.count < jobs, let c = queue.first {
          queue = queue.dropFirst()
          let session = try Self.start(c, in: sweep, threads: threads)
          stop.withLock { $0.running.append(session) }
          if stop.withLock({ $0.signal }) != nil { session.send(.terminate(signal: SIGINT)) }
          running.append(Running(config: c, session: session, started: monotonicSeconds()))
        }
      }
      if running.isEmpty { break }
      _ = running[0].session.waitUntilFinished(timeout: 0.1)
      var still: [Running] = []
      for r in running {
        if let message = r.session.snapshot?.recording?.message {
          failure = "config \(r.config.index): \(message)"
          still.append(r)  // stopped with the others below
          continue
        }
        guard r.session.waitUntilFinished(timeout: 0) else {
          still.append(r)
          continue
        }
        if stop.withLock({ $0.signal }) != nil { continue }
        let outcome: SweepOutcome
        do {
          outcome = try Self.finish(r.config, in: sweep)
        } catch let error as CommandFailure {
          failure = error.message
          continue
        } catch {
          failure = "\(error)"
          continue
        }
        done += 1
        doneSteps += r.config.modelSteps
        line.clear()
        table.row(
          r.config, outcome, done: done, of: total, seconds: monotonicSeconds() - r.started)
      }
      running = still
      stop.withLock { s in s.running = running.map(\.session) }
      if stop.withLock({ $0.signal }) != nil && running.isEmpty { break }
      let inFlight = running.reduce(0.0) { sum, r in
        sum + Double(r.session.snapshot?.step ?? 0) * Double(r.config.settings.models.count)
          * Double(r.config.seeds.count)
      }
      let elapsed = monotonicSeconds() - start
      let rate = (doneSteps + inFlight) / max(elapsed, 1e-3)
      let fraction = min(1, (doneSteps + inFlight) / max(allSteps, 1))
      let filled = Int((fraction * 20).rounded(.down))
      let bar =
        String(repeating: "█", count: filled) + String(repeating: "·", count: 20 - filled)
      line.show(
        "\(bar) \(done)/\(total) configurations, \(Self.rate(rate)) model-steps/s, "
          + ProgressLine.eta((allSteps - doneSteps - inFlight) / max(rate, 1e-9)))
    }
    line.clear()
    if let failure {
      for r in running { r.session.send(.terminate(signal: SIGTERM)) }
      for r in running { r.session.waitUntilFinished() }
      throw CommandFailure(
        message: "sweep stopped: \(failure); the \(done) configurations finished are intact in "
          + "\(sweep.folder); free the space (or fix the folder) and run the same command to "
          + "finish the rest")
    }
    if let sig = stop.withLock({ $0.signal }) {
      for r in running { r.session.waitUntilFinished() }
      FileHandle.standardError.write(
        Data(
          ("sptop sweep: stopped by signal \(sig); \(done) of \(total) configurations finished; "
            + "run the same command to finish the rest\n").utf8))
      Foundation.exit(128 + sig)
    }
    return done
  }

  /// The kept configurations among `kept` whose logs do not re-run bit for bit (each named
  /// on stderr), checked `jobs` at a time with a progress line.
  func verifyKept(_ kept: [SweepConfiguration]) -> [SweepConfiguration] {
    let line = ProgressLine()
    defer { line.clear() }
    let failed = Locked<[Int: String]>([:])
    let checked = Locked(0)
    let sweep = self.sweep
    // Drawn by one thread at a time, under `checked`'s lock.
    nonisolated(unsafe) let shown = line
    Parallel.forEach(kept.count, threads: jobs) { i in
      if let why = sweep.verifyBitForBit(kept[i].index) {
        failed.withLock { $0[kept[i].index] = why }
      }
      checked.withLock { c in
        c += 1
        shown.show("sptop sweep: verifying the kept logs, \(c)/\(kept.count)")
      }
      return true
    }
    let bad = failed.withLock { $0 }
    for k in bad.keys.sorted() {
      Diagnostics.warn("config \(k): \(bad[k]!) (--verify); running it again")
    }
    return kept.filter { bad[$0.index] != nil }
  }

  /// "1.25M" model-steps per second.
  static func rate(_ r: Double) -> String {
    r >= 1e6
      ? String(format: "%.2fM", r / 1e6)
      : r >= 1e3 ? String(format: "%.1fk", r / 1e3) : String(Int(r))
  }

  /// Starts configuration `c`'s ensemble, recording to its `.partial` log.
  static func start(_ c: SweepConfiguration, in sweep: SweepFolder, threads: Int) throws
    -> TrainingSession
  {
    let file: LogFile
    do {
      file = try LogFile.create(path: sweep.partialPath(c.index), force: true, flag: "--out")
    } catch {
      throw CommandFailure(message: "sweep stopped: \(error)")
    }
    let session: TrainingSession
    do {
      session = try TrainingSession(
        settings: c.settings, publishInterval: 0.25, stopsWhenDone: true, seeds: c.seeds,
        threads: threads)
    } catch {
      throw CommandFailure(message: "config \(c.index): \(error)")
    }
    session.send(.startRecording(file, logEvery: c.logEvery, evalEvery: c.evalEvery))
    session.start()
    return session
  }

  /// Renames a finished configuration's log to its final name, after checking it is complete;
  /// returns what it says (its row is printed from it).
  static func finish(_ c: SweepConfiguration, in sweep: SweepFolder) throws -> SweepOutcome {
    let partial = sweep.partialPath(c.index)
    let outcome: SweepOutcome
    do {
      outcome = try SweepOutcome.read(path: partial, settings: c.settings, seeds: c.seeds)
    } catch {
      throw CommandFailure(message: "config \(c.index): \(error)")
    }
    guard rename(partial, sweep.logPath(c.index)) == 0 else {
      throw CommandFailure(
        message:
          "config \(c.index): \(partial) cannot be renamed: \(String(cString: strerror(errno)))")
    }
    return outcome
  }
}

/// The rows printed as configurations finish: on a terminal above the progress line, fitted to
/// its width (the quartiles dropped first, then the end cut with `…`), otherwise whole, one
/// line each on stderr (a batch job's output).
struct SweepLiveTable {
  var plan: SweepPlan
  var isTerminal: Bool

  func row(
    _ c: SweepConfiguration, _ outcome: SweepOutcome, done: Int, of total: Int, seconds: Double
  ) {
    let head =
      "sptop sweep: \(done)/\(total) config \(c.index) (\(plan.label(c.index))) "
      + String(format: "%.1f s", seconds)
    var whole = head
    var short = head
    for r in SweepSummary(plan: plan, outcomes: [c.index: outcome]).rows {
      let diverged = r.diverged > 0 ? " \(r.diverged)/\(r.seeds) DIV" : ""
      whole += "  \(r.model) \(SweepTable.band(r.stats[0]))" + diverged
      short += "  \(r.model) \(SweepTable.short(r.stats[0].median))" + diverged
    }
    var text = whole
    if isTerminal, let width = ProgressLine.terminalColumns(), whole.count > width {
      text = short.count <= width ? short : String(short.prefix(max(1, width - 1))) + "…"
    }
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
