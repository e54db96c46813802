import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// `--seeds SPEC` and `--threads T` of `sptop run`: the lineup over many seeds.
struct EnsembleOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Train the lineup once per seed and summarise over the seeds: a list of seeds and ranges "
        + "(1-32, 1,5,9, 1-1000). Each seed is exactly the session --seed s runs alone.",
      valueName: "spec"))
  var seeds: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Threads that train the seeds (default: every core). Results do not depend on it.",
      valueName: "t"))
  var threads: Int?

  func validate() throws {
    if let seeds {
      do {
        _ = try SeedSpec(seeds)
      } catch {
        throw ValidationError("--seeds: \(error.description)")
      }
    }
    if let t = threads, !(1...1024).contains(t) {
      throw ValidationError("--threads: must be 1…1024, got \(t)")
    }
  }

  /// What `--seeds` does not combine with: one line each.
  static func refuseWith(seed: Bool, fork: Bool) throws {
    if seed {
      throw ValidationError("--seed and --seeds: give one (--seeds 7 is the seed 7 alone)")
    }
    if fork {
      throw ValidationError(
        "--seeds: a fork keeps the parent's seeds (an ensemble's log forks every seed); not "
          + "with --fork")
    }
  }

  /// `--threads` trains the seeds of `--seeds` or of a forked ensemble; one seed trains on one
  /// thread.
  func checkThreads(fork: SessionFork?) throws {
    if threads != nil, seeds == nil, fork?.parent.header.seeds == nil {
      throw ValidationError(
        "--threads: only with --seeds or with --fork of an ensemble's log (one seed trains on "
          + "one thread)")
    }
  }

  /// The seeds, if `--seeds` was given (checked in `validate`).
  var spec: SeedSpec? { seeds.flatMap { try? SeedSpec($0) } }

  /// Threads to use: `--threads`, else every core.
  var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// `sptop run --seeds`: every seed trained, then the table or the JSON.
enum EnsembleCommand {
  static func run(
    settings: SessionSettings, spec: SeedSpec, threads: Int, json: Bool
  ) throws {
    let total = spec.seeds.count
    // The training threads look at the signal between chunks.
    let signals = SignalForwarder { _ in }
    defer { withExtendedLifetime(signals) {} }
    let stop = signals.received
    // Drawn by one training thread at a time, under `shown`'s lock.
    nonisolated(unsafe) let line = ProgressLine()
    let shown = Locked(0.0)
    let start = monotonicSeconds()
    let quarters = Locked(1)
    let isTerminal = line.enabled
    let results = Ensemble.run(
      settings, seeds: spec.seeds, threads: threads,
      progress: { p in
        let now = monotonicSeconds()
        if isTerminal {
          // One thread at a time draws, at most ten times a second.
          shown.withLock { last in
            guard now - last >= 0.1 else { return }
            last = now
            let rate = Double(p.steps) / max(now - start, 1e-3)
            let all = Double(total) * Double(settings.iterations)
            line.show(
              "sptop run: \(p.seedsDone)/\(total) seeds, \(ProgressLine.count(Int(rate))) "
                + "session steps/s, "
                + ProgressLine.eta((all - Double(p.steps)) / max(rate, 1e-9)))
          }
        } else {
          quarters.withLock { q in
            while q < 4 && p.seedsDone * 4 >= total * q {
              FileHandle.standardError.write(
                Data("sptop run: \(total * q / 4)/\(total) seeds\n".utf8))
              q += 1
            }
          }
        }
      },
      stopped: { stop.value != nil })
    line.clear()
    guard let results else {
      let sig = stop.value ?? SIGINT
      FileHandle.standardError.write(
        Data("sptop run: stopped by signal \(sig); no result for an unfinished ensemble\n".utf8))
      Foundation.exit(128 + sig)
    }
    try report(
      results, settings: settings, spec: spec, threads: threads, json: json,
      elapsed: monotonicSeconds() - start)
  }

  /// `run --seeds --record`: the seeds stepped together by one session that records them all
  /// (the same numbers as `run` without `--record`, tested), progress on stderr by session step.
  static func runRecorded(
    settings: SessionSettings, spec: SeedSpec, threads: Int, json: Bool, file: LogFile,
    logEvery: Int, evalEvery: Int
  ) throws {
    let session: TrainingSession
    do {
      session = try TrainingSession(
        settings: settings, publishInterval: 0.1, stopsWhenDone: true, seeds: spec.seeds,
        threads: threads)
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    session.send(.startRecording(file, logEvery: logEvery, evalEvery: evalEvery))
    try finish(session, spec: spec, threads: threads, json: json)
  }

  /// Runs an ensemble's `session` (the seeds of `spec`; a fork's starts at `start`) to its
  /// end, progress on stderr by session step, then the table or the JSON.
  static func finish(
    _ session: TrainingSession, spec: SeedSpec, threads: Int, json: Bool, from start: Int = 0
  ) throws {
    let settings = session.settings
    let signals = SignalForwarder(session: session)
    let progress = Progress(total: settings.iterations, from: start)
    let began = monotonicSeconds()
    session.start()
    while !session.waitUntilFinished(timeout: 0.1) {
      if let s = session.snapshot { progress.update(step: s.step, rate: s.stepsPerSecond) }
    }
    if let signal = signals.first {
      progress.interrupted(step: session.snapshot?.step ?? 0, signal: signal)
      Foundation.exit(128 + signal)
    }
    guard let results = session.ensembleResults else {
      throw CommandFailure(message: "the ensemble ended without a result")
    }
    progress.finish(step: settings.iterations, elapsed: monotonicSeconds() - began)
    try report(
      results, settings: settings, spec: spec, threads: threads, json: json,
      elapsed: monotonicSeconds() - began)
    if let message = session.snapshot?.recording?.message {
      throw CommandFailure(message: message, status: 3)
    }
  }

  /// The table or the JSON of a finished ensemble, the time on stderr.
  static func report(
    _ results: [RunResult], settings: SessionSettings, spec: SeedSpec, threads: Int, json: Bool,
    elapsed: Double
  ) throws {
    let total = spec.seeds.count
    FileHandle.standardError.write(
      Data(
        "sptop run: \(total) seeds × \(settings.iterations) steps in \(String(format: "%.3f", elapsed)) s\n"
          .utf8))
    let result = EnsembleResult(
      results, seeds: spec.seeds, settings: settings, threads: threads, elapsed: elapsed)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      FileHandle.standardOutput.write(try encoder.encode(result))
      FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
      print(ResultTable.render(result, spec: spec), terminator: "")
    }
  }
}
