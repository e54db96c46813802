import ArgumentParser
import Foundation
import SPEngine

/// `sptop run`: trains headless and prints the end-of-run table or JSON.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train headless (scripts, CI) and print a table, or JSON with --json.")

  @OptionGroup var training: TrainingOptions
  @OptionGroup var forking: ForkOptions
  @OptionGroup var ensemble: EnsembleOptions
  @OptionGroup var configOption: ConfigOption
  @OptionGroup var recording: RecordingOptions

  @Flag(help: "Print one JSON object instead of the table (schema in the README).")
  var json = false

  func run() throws {
    if let spec = ensemble.spec {
      try runEnsemble(spec)
      return
    }
    let fork = try forking.plan(training)
    try ensemble.checkThreads(fork: fork)
    let settings = try fork?.settings ?? training.settings()
    if settings.iterations == 0 {
      throw CommandFailure(
        message: "--iterations 0 trains until stopped: use the dashboard"
          + (fork != nil && training.iterations == nil ? " (the parent's is 0)" : ""))
    }
    // The parent log is an input no recording may overwrite.
    let inputs = RecordingOptions.inputs(
      configPath: configOption.config, logPaths: forking.fork.map { [$0] } ?? [])
    let session: TrainingSession
    if let fork {
      try recording.check(inputs: inputs)
      session = try ForkOptions.session(
        fork, publishInterval: 0.1, stopsWhenDone: true, threads: ensemble.threadCount,
        command: "sptop run")
      if let seeds = fork.parent.header.seeds {
        // The fork of an ensemble: every seed forked, summarised as `run --seeds` does.
        if let file = try recording.openRecordFile(inputs: inputs) {
          let (k, e) = recording.intervals(iterations: settings.iterations)
          session.send(.startRecording(file, logEvery: k, evalEvery: e))
        }
        let spec = try SeedSpec(EnsembleSummary(seeds: seeds, threads: 1).text)
        try EnsembleCommand.finish(
          session, spec: spec, threads: ensemble.threadCount, json: json, from: fork.step)
        return
      }
    } else {
      do {
        session = try TrainingSession(
          settings: settings, publishInterval: 0.1, stopsWhenDone: true)
      } catch {
        throw CommandFailure(message: "\(error)")
      }
    }
    if let file = try recording.openRecordFile(inputs: inputs) {
      let (k, e) = recording.intervals(iterations: settings.iterations)
      session.send(.startRecording(file, logEvery: k, evalEvery: e))
    }
    let signals = SignalForwarder(session: session)
    let progress = Progress(total: settings.iterations, from: fork?.step ?? 0)
    session.start()
    while !session.waitUntilFinished(timeout: 0.1) {
      if let s = session.snapshot { progress.update(step: s.step, rate: s.stepsPerSecond) }
    }
    guard let result = session.result else {
      throw CommandFailure(message: "the session ended without a result")
    }
    if let signal = signals.first {
      progress.interrupted(step: result.steps, signal: signal)
      Foundation.exit(128 + signal)
    }
    progress.finish(step: result.steps, elapsed: result.elapsed_seconds)
    if let message = session.snapshot?.recording?.message {
      try printResult(result)
      throw CommandFailure(message: message, status: 3)
    }
    try printResult(result)
  }

  /// `--seeds`: the lineup over every seed. What an ensemble cannot do yet is refused.
  func runEnsemble(_ spec: SeedSpec) throws {
    try EnsembleOptions.refuseWith(seed: training.seed != nil, fork: forking.fork != nil)
    let settings = try training.settings()
    if settings.iterations == 0 {
      throw CommandFailure(message: "--iterations 0 trains until stopped: use the dashboard")
    }
    let inputs = RecordingOptions.inputs(configPath: configOption.config)
    if let file = try recording.openRecordFile(inputs: inputs) {
      let (k, e) = recording.intervals(iterations: settings.iterations)
      try EnsembleCommand.runRecorded(
        settings: settings, spec: spec, threads: ensemble.threadCount, json: json, file: file,
        logEvery: k, evalEvery: e)
      return
    }
    try EnsembleCommand.run(
      settings: settings, spec: spec, threads: ensemble.threadCount, json: json)
  }

  func printResult(_ result: RunResult) throws {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let data = try encoder.encode(result)
      FileHandle.standardOutput.write(data)
      FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
      print(ResultTable.render(result), terminator: "")
    }
  }
}

/// Progress on stderr: a bar redrawn in place on a terminal, a few plain lines otherwise.
final class Progress {
  let total: Int
  let isTerminal = isatty(STDERR_FILENO) == 1
  var nextQuarter = 1

  /// Progress of a run of `total` steps starting at step `start` (a fork's).
  init(total: Int, from start: Int = 0) {
    self.total = total
    while nextQuarter < 4 && start * 4 >= total * nextQuarter { nextQuarter += 1 }
  }

  func update(step: Int, rate: Double) {
    if isTerminal {
      let width = 30
      let filled = total > 0 ? min(width, step * width / total) : 0
      let bar =
        String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      write("\r\(bar) \(step)/\(total) steps  \(Int(rate)) steps/s ")
    } else {
      while nextQuarter < 4 && step * 4 >= total * nextQuarter {
        write("sptop run: \(total * nextQuarter / 4)/\(total) steps\n")
        nextQuarter += 1
      }
    }
  }

  func interrupted(step: Int, signal: Int32) {
    let line = "sptop run: stopped by signal \(signal) after \(step) steps\n"
    write(isTerminal ? "\r\u{1B}[K" + line : line)
  }

  func finish(step: Int, elapsed: Double) {
    let line = "sptop run: \(step)/\(total) steps in \(String(format: "%.3f", elapsed)) s\n"
    write(isTerminal ? "\r\u{1B}[K" + line : line)
  }

  private func write(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
  }
}
