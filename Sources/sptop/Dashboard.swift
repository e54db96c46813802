import ArgumentParser
import Foundation
import SPCurses
import SPDashboard
import SPEngine
import SPTUI

/// `sptop` (the default): the live dashboard.
struct Dashboard: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open the live dashboard (the default when no subcommand is given).")

  @OptionGroup var training: TrainingOptions
  @OptionGroup var recording: RecordingOptions
  @OptionGroup var display: DisplayOptions
  @OptionGroup var configOption: ConfigOption

  @Option(parsing: .unconditional, help: "Frames per second of the dashboard (1…240).")
  var fps: Int = 30

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
  }

  func run() throws {
    let settings = try training.settings()
    let look = try display.look(configPath: configOption.config)
    let session: TrainingSession
    do {
      session = try TrainingSession(settings: settings, publishInterval: 1 / Double(fps))
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    let inputs = RecordingOptions.inputs(
      configPath: configOption.config,
      themePaths: look.catalog.entries.compactMap(\.path)
        + [look.theme.entry.path].compactMap { $0 })
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
    loop.themes = ThemeCycler(
      catalog: look.catalog, start: look.theme, colors: terminal.colorReducer != nil)
    loop.testCrash = TestCrash.fromEnvironment(now: monotonicSeconds())
    let status = loop.run()
    session.send(status == 0 ? .stop : .terminate(signal: status - 128))
    _ = session.waitUntilFinished(timeout: 2)
    terminal.close()
    if status != 0 { Foundation.exit(status) }
  }
}

/// The UI thread's loop: read keys, send commands, draw the latest snapshot at a steady rate.
struct DashboardLoop {
  let session: TrainingSession
  let terminal: Terminal
  let fps: Int
  let modelCount: Int
  var recorder = RecordingControl(
    requestedPath: nil, force: false, logEvery: 1, evalEvery: 10, inputs: FileGuard())
  /// A one-line notice for the footer and when it expires.
  var notice: (text: String, until: Double)?
  var keyMap = KeyMap.standard
  /// The theme in use and the `t` key's cycle; nil draws the compiled-in dark theme.
  var themes: ThemeCycler?
  /// The `SPTOP_TEST_CRASH` test hook, if set (see TestCrash).
  var testCrash: TestCrash?

  /// Runs until a quit key or a terminating signal; returns the exit status (128 + signal).
  mutating func run() -> Int32 {
    var state = DashboardState()
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    var pacer = FramePacer(terminal: terminal, fps: fps)
    while true {
      if let signal = Terminal.pendingSignal { return 128 + signal }
      let now = monotonicSeconds()
      if let crash = testCrash, now >= crash.deadline {
        testCrash = nil
        crash.fire()
      }
      pacer.drawIfDue(now: now) { buffer in
        let snapshot = session.snapshot
        if let n = notice, n.until < now { notice = nil }
        let message = notice?.text ?? themes?.message(at: now) ?? snapshot?.recording?.message
        DashboardView(
          snapshot: snapshot, state: state, theme: themes?.theme ?? .dark, glyphs: glyphs,
          keyMap: keyMap, message: message
        ).render(in: buffer.area, into: &buffer)
      }
      guard let key = pacer.nextKey() else { continue }
      var commands = state.handle(key, keyMap: keyMap, modelCount: modelCount)
      while !state.loopRequests.isEmpty {
        let request = state.loopRequests.removeFirst()
        if request == .cycleTheme {
          themes?.next(now: monotonicSeconds())
          pacer.redraw()
          continue
        }
        guard request == .record else { continue }
        switch recorder.toggle(recording: session.snapshot?.recording?.isRecording ?? false) {
        case .command(let c): commands.append(c)
        case .failed(let text): notice = (text, monotonicSeconds() + 5)
        }
      }
      for command in commands { session.send(command) }
      if state.quitRequested { return 0 }
      // Redraw almost at once: a few milliseconds let the session publish the command's effect.
      pacer.redraw(by: monotonicSeconds() + (commands.isEmpty ? 0 : 0.005))
    }
  }
}

/// What `r` does: stop a running recording, or start one — to `--record PATH` the first time
/// when it was given but not opened yet, else to a fresh timestamped file here.
struct RecordingControl {
  var requestedPath: String?
  let force: Bool
  let logEvery: Int
  let evalEvery: Int
  /// The dashboard's inputs (configuration, theme files), which no recording may overwrite.
  let inputs: FileGuard

  enum Outcome {
    case command(SessionCommand)
    case failed(String)
  }

  mutating func toggle(recording: Bool) -> Outcome {
    if recording { return .command(.stopRecording) }
    let path = requestedPath ?? LogFile.timestampedName()
    do {
      var files = inputs
      try files.output(path, flag: "record")
      let file = try LogFile.create(path: path, force: force, flag: "record")
      requestedPath = nil
      return .command(.startRecording(file, logEvery: logEvery, evalEvery: evalEvery))
    } catch {
      return .failed("\(error)")
    }
  }
}
