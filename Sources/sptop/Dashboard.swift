import ArgumentParser
import Foundation
import SPApp
import SPCurses
import SPDashboard
import SPEngine
import SPTUI

/// `sptop` (the default): the live dashboard.
struct Dashboard: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open the live dashboard (the default when no subcommand is given).")

  @OptionGroup var training: TrainingOptions
  @OptionGroup var forking: ForkOptions
  @OptionGroup var ensemble: EnsembleOptions
  @OptionGroup var recording: RecordingOptions
  @OptionGroup var display: DisplayOptions
  @OptionGroup var smoothing: SmoothingOption
  @OptionGroup var configOption: ConfigOption

  @Option(parsing: .unconditional, help: "Frames per second of the dashboard (1…240).")
  var fps: Int = 30

  @Option(
    help: ArgumentHelp(
      "Session steps per second: a number, auto (a bounded run takes about 10 s: the seed's "
        + "5000 steps at 500/s; with --iterations 0, max) or max (as fast as possible).",
      valueName: "steps/s|auto|max"))
  var pace: String = "auto"

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
    if Pace(argument: pace, iterations: 1) == nil {
      throw ValidationError(
        "--pace: expected auto, max or session steps per second (a number from 0.01 to 1e9), "
          + "got '\(pace)'")
    }
  }

  func run() throws {
    let spec = ensemble.spec
    if spec != nil {
      try EnsembleOptions.refuseWith(seed: training.seed != nil, fork: forking.fork != nil)
    }
    let fork = try forking.plan(training)
    try ensemble.checkThreads(fork: fork)
    let settings = try fork?.settings ?? training.settings()
    let look = try display.look(configPath: configOption.config)
    let inputs = RecordingOptions.inputs(
      configPath: configOption.config,
      themePaths: look.catalog.entries.compactMap(\.path)
        + [look.theme.entry.path].compactMap { $0 }, logPaths: forking.fork.map { [$0] } ?? [])
    let session: TrainingSession
    if let fork {
      try recording.check(inputs: inputs)
      session = try ForkOptions.session(
        fork, publishInterval: 1 / Double(fps),
        pace: Pace(argument: pace, iterations: settings.iterations),
        threads: ensemble.threadCount, command: "sptop")
    } else {
      do {
        session = try TrainingSession(
          settings: settings, publishInterval: 1 / Double(fps),
          pace: Pace(argument: pace, iterations: settings.iterations), seeds: spec?.seeds,
          threads: ensemble.threadCount)
      } catch {
        throw CommandFailure(message: "\(error)")
      }
    }
    let recordFile = try recording.openRecordFile(inputs: inputs)
    let intervals = recording.intervals(iterations: settings.iterations)
    if let recordFile {
      session.send(
        .startRecording(recordFile, logEvery: intervals.logEvery, evalEvery: intervals.evalEvery))
    }
    let terminal: Terminal
    do {
      terminal = try Terminal.open(colorMode: display.colorMode)
    } catch {
      // The session never started, so `--record` made an empty file: leave nothing behind.
      if let recordFile { LogFile.removeIfEmpty(recordFile) }
      let text = "\(error)"
      throw CommandFailure(message: text.hasPrefix("sptop: ") ? String(text.dropFirst(7)) : text)
    }
    session.start()
    var loop = DashboardLoop(
      session: session, terminal: terminal, fps: fps, modelCount: settings.models.count)
    loop.recorder = RecordingControl(
      requestedPath: recordFile == nil ? recording.record : nil, force: recording.force,
      logEvery: intervals.logEvery, evalEvery: intervals.evalEvery, inputs: inputs)
    loop.keyMap = look.keyMap
    loop.exporter = ViewExport(folder: ".", inputs: inputs)
    loop.smoothing = try smoothing.weight()
    loop.themes = ThemeCycler(
      catalog: look.catalog, start: look.theme, colors: terminal.colorReducer != nil)
    if let crash = TestCrash.fromEnvironment(now: monotonicSeconds()) {
      var fired = false
      loop.tick = { now in
        guard !fired, now >= crash.deadline else { return }
        fired = true
        crash.fire()
      }
    }
    let status = loop.run()
    session.send(status == 0 ? .stop : .terminate(signal: status - 128))
    _ = session.waitUntilFinished(timeout: 2)
    terminal.close()
    if status != 0 { Foundation.exit(status) }
  }
}
