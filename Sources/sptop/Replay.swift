import ArgumentParser
import Foundation
import SPApp
import SPConfig
import SPCurses
import SPDashboard
import SPEngine
import SPTUI

/// `sptop replay LOG`: the dashboard driven by a recorded session instead of training.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay a recorded session in the dashboard, or print its summary table.")

  @Argument(help: "The session log (JSON Lines).")
  var log: String

  @Flag(help: "Print the end-of-run table of `sptop run` instead of opening the screen.")
  var summary = false

  @Option(parsing: .unconditional, help: "Frames per second of the dashboard (1…240).")
  var fps: Int = 30

  @Option(
    help: ArgumentHelp(
      "Pace of a session forked with f: session steps per second, auto or max (as the "
        + "dashboard's --pace).", valueName: "steps/s|auto|max"))
  var pace: String = "auto"

  @OptionGroup var smoothing: SmoothingOption
  @OptionGroup var configOption: ConfigOption

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
    if Pace(argument: pace, iterations: 1) == nil {
      throw ValidationError(
        "--pace: expected auto, max or session steps per second (a number from 0.01 to 1e9), "
          + "got '\(pace)'")
    }
  }

  /// The replay's keys and the forked dashboard's, with `[keys]` of the configuration file
  /// applied (the replay's map takes the bindings of the actions it has).
  func keyMaps() throws -> (replay: KeyMap, live: KeyMap) {
    let config: ConfigFile?
    do throws(ConfigError) {
      config = try ConfigLoader.load(
        explicit: configOption.config, environment: ProcessInfo.processInfo.environment)
    } catch {
      throw CommandFailure(message: error.message)
    }
    guard let config else { return (.replay, .standard) }
    let replayActions = Set(KeyMap.replay.bindings.values)
    do {
      return (
        try KeyMap.replay.rebinding(config.keyBindings.filter { replayActions.contains($0.0) }),
        config.keyMap
      )
    } catch {
      throw CommandFailure(message: "\(config.path): [keys]: \(error.description)")
    }
  }

  func run() throws {
    // The screen needs a terminal: said before a long log is read, and pointing to what works
    // without one (the dashboard's message suggests `sptop run`, which replays nothing).
    if !summary {
      for (fd, name) in [(STDIN_FILENO, "stdin"), (STDOUT_FILENO, "stdout")] where isatty(fd) != 1 {
        throw CommandFailure(
          message: "\(name) is not a terminal; use `sptop replay --summary LOG` for the table")
      }
    }
    let keys = try keyMaps()
    // The dashboard's playback is made before the screen opens, the progress line up until it is
    // ready (an ensemble's takes a while for a long log): no blank screen after the reading.
    let (contents, playback) = try LogCommands.read(
      log, preparing: summary ? nil : "preparing the replay"
    ) { contents -> (SessionLogContents, (any ReplaySource)?) in
      guard !summary else { return (contents, nil) }
      let playback: any ReplaySource =
        contents.isEnsemble ? EnsemblePlayback(contents) : LogPlayback(contents)
      return (contents, playback)
    }
    if let seeds = contents.header.seeds, summary {
      let results = seeds.map { LogVerifier.result(contents.session(seed: $0)) }
      let settings = contents.header.settings
      let result = EnsembleResult(
        results, seeds: seeds, settings: settings, threads: 1, elapsed: contents.duration)
      let spec = try SeedSpec(EnsembleSummary(seeds: seeds, threads: 1).text)
      print(ResultTable.render(result, spec: spec), terminator: "")
      return
    }
    if summary {
      // The summary re-runs the session: on a terminal, how far it is, in place.
      let progress = ProgressLine()
      let result = LogVerifier.result(contents) { step, last in
        progress.show(
          "sptop replay: re-running step "
            + ProgressLine.steps(step, of: last, elapsed: progress.elapsed))
      }
      progress.clear()
      print(ResultTable.render(result), terminator: "")
      return
    }
    guard let playback else { return }
    let terminal: Terminal
    do {
      terminal = try Terminal.open()
    } catch {
      let text = "\(error)"
      throw CommandFailure(message: text.hasPrefix("sptop: ") ? String(text.dropFirst(7)) : text)
    }
    var loop = ReplayLoop(playback: playback, terminal: terminal, fps: fps)
    loop.keyMap = keys.replay
    loop.smoothing = try smoothing.weight()
    // `E` writes next to the log, never over it nor over the configuration.
    let above = PathText.parent(of: log)
    loop.exporter = ViewExport(
      folder: above.isEmpty ? "." : above,
      inputs: RecordingOptions.inputs(configPath: configOption.config, logPaths: [log]))
    var status = loop.run()
    if status == 0, let step = loop.forkStep {
      status = try runFork(
        of: contents, at: step, terminal: terminal, replay: loop, keyMap: keys.live,
        smoothing: loop.state.smoothing, range: loop.state.range, tailSteps: loop.state.tailSteps)
    }
    terminal.close()
    if status != 0 { Foundation.exit(status) }
  }

  /// The live dashboard of a session forked from `contents` at `step`, on the replay's
  /// terminal, smoothed and ranged (`g`) as the replay was when it ended: `r` records it to a new log whose
  /// header names this one as its parent.
  /// While the parent re-runs to the fork's step, the replay's last frame says how far it is.
  func runFork(
    of contents: SessionLogContents, at step: Int, terminal: Terminal, replay: ReplayLoop,
    keyMap: KeyMap, smoothing: Double, range: ChartRange = .whole, tailSteps: Int = 1000
  ) throws -> Int32 {
    let fork: SessionFork
    let session: TrainingSession
    do {
      fork = try SessionFork(
        parent: contents, parentPath: log, at: step)
      let seeds = contents.header.seeds.map { " (\(EnsembleSummary.seedCount($0.count)))" } ?? ""
      let start = monotonicSeconds()
      var shown = -Double.infinity
      // An ensemble's fork trains its seeds on every core, as `sptop --seeds` does.
      session = try TrainingSession(
        fork: fork, publishInterval: 1 / Double(fps),
        pace: Pace(argument: pace, iterations: fork.settings.iterations),
        threads: ProcessInfo.processInfo.activeProcessorCount
      ) { done, last in
        let now = monotonicSeconds()
        guard now - shown >= 0.1 else { return }
        shown = now
        replay.show(
          message: "f: re-running the parent\(seeds) to step "
            + ProgressLine.steps(done, of: last, elapsed: now - start) + " · q quits")
      } stopped: {
        // q or a signal ends sptop here (a resize is redrawn whole by the next message).
        while let key = terminal.readKey(timeoutMilliseconds: 0) {
          if key == .character("q") { return true }
        }
        return terminal.pendingSignal != nil
      }
    } catch is SessionFork.Stopped {
      return terminal.pendingSignal.map { 128 + $0 } ?? 0
    } catch {
      terminal.close()
      throw CommandFailure(message: "\(error)")
    }
    let inputs = RecordingOptions.inputs(configPath: configOption.config, logPaths: [log])
    let logEvery = SessionLog.defaultLogEvery(iterations: fork.settings.iterations)
    session.start()
    var live = DashboardLoop(
      session: session, terminal: terminal, fps: fps, modelCount: fork.parent.header.lineup.count)
    live.recorder = RecordingControl(
      requestedPath: nil, force: false, logEvery: logEvery,
      evalEvery: SessionLog.defaultEvalEvery(logEvery: logEvery), inputs: inputs)
    live.keyMap = keyMap
    live.exporter = ViewExport(folder: ".", inputs: inputs)
    live.smoothing = smoothing
    live.range = range
    live.tailSteps = tailSteps
    let status = live.run()
    session.send(status == 0 ? .stop : .terminate(signal: status - 128))
    _ = session.waitUntilFinished(timeout: 2)
    return status
  }
}
