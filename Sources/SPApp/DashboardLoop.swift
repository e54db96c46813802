import SPDashboard
import SPEngine
import SPTUI

/// The live dashboard's UI loop over any terminal backend: read keys, run them through the
/// dashboard's reducer, carry out its effects (session commands, recording, themes, notices),
/// and draw the latest snapshot at a steady rate.
public struct DashboardLoop {
  let session: TrainingSession
  let terminal: any TerminalBackend
  let fps: Int
  let modelCount: Int
  public var recorder = RecordingControl(
    requestedPath: nil, force: false, logEvery: 1, evalEvery: 10, inputs: FileGuard())
  public var keyMap = KeyMap.standard
  /// Where the export key writes the charts on screen (the working folder).
  public var exporter = ViewExport()
  /// The theme in use and the `t` key's cycle; nil draws the compiled-in dark theme.
  public var themes: ThemeCycler?
  /// The big chart's smoothing weight when the loop starts (`--smoothing`; `z` cycles it).
  public var smoothing = 0.0
  /// The big chart's range when the loop starts (a fork keeps its replay's; `g` cycles it) and
  /// the tail's steps.
  public var range = ChartRange.whole
  public var tailSteps = 1000
  /// Called with the time at every turn of the loop (the command layer's crash test hook).
  public var tick: ((Double) -> Void)?
  /// The dashboard's own state; its last value stays readable after `run` returns.
  public private(set) var state = DashboardState()
  /// A one-line notice for the footer and when it expires.
  var notice: (text: String, until: Double)?

  public init(session: TrainingSession, terminal: any TerminalBackend, fps: Int, modelCount: Int) {
    self.session = session
    self.terminal = terminal
    self.fps = fps
    self.modelCount = modelCount
  }

  /// Runs until a quit key or a terminating signal; returns the exit status (128 + signal).
  public mutating func run() -> Int32 {
    state = DashboardState()
    state.smoothing = smoothing
    state.range = range
    state.tailSteps = tailSteps
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    var pacer = FramePacer(terminal: terminal, fps: fps)
    // The snapshot of the frame on screen.
    var drawn: SessionSnapshot?
    while true {
      if let signal = terminal.pendingSignal { return 128 + signal }
      let now = monotonicSeconds()
      tick?(now)
      pacer.drawIfDue(now: now) { buffer in
        let snapshot = session.snapshot
        drawn = snapshot
        if let n = notice, n.until < now { notice = nil }
        let message =
          notice?.text ?? themes?.message(at: now) ?? snapshot?.commandMessage
          ?? snapshot?.recording?.message
        DashboardView(
          snapshot: snapshot, state: state, theme: themes?.theme ?? .dark, glyphs: glyphs,
          keyMap: keyMap, message: message
        ).render(in: buffer.area, into: &buffer)
      }
      guard let key = pacer.nextKey() else { continue }
      // The lineup as the session last published it (lineup commands change it).
      let snapshot = session.snapshot
      let size = terminal.size
      // Where the charts of the frame on screen are (the cursor moves by their columns).
      let geometry = DashboardView(snapshot: drawn, state: state, glyphs: glyphs, keyMap: keyMap)
        .geometry(in: Rect(x: 0, y: 0, width: size.width, height: size.height))
      let effects = state.update(
        with: key, keyMap: keyMap, modelCount: snapshot?.models.count ?? modelCount,
        session: snapshot, geometry: geometry)
      var sent = false
      for effect in effects {
        switch effect {
        case .session(let command):
          session.send(command)
          sent = true
        case .toggleRecording:
          switch recorder.toggle(recording: session.snapshot?.recording?.isRecording ?? false) {
          case .command(let c):
            session.send(c)
            sent = true
          case .failed(let text): notice = (text, monotonicSeconds() + 5)
          }
        case .cycleTheme: themes?.next(now: monotonicSeconds())
        case .exportView:
          // The frame on screen, as it was drawn.
          let page = DashboardView(snapshot: drawn, state: state, glyphs: glyphs, keyMap: keyMap)
            .exportedPage()
          notice = (exporter.write(page), monotonicSeconds() + 5)
        case .notice(let text): notice = (text, monotonicSeconds() + 5)
        case .quit: return 0
        case .playPause, .seek, .fork: break  // replay only
        }
      }
      // Redraw almost at once: a few milliseconds let the session publish the command's effect.
      pacer.redraw(by: monotonicSeconds() + (sent ? 0.005 : 0))
    }
  }
}

/// What `r` does: stop a running recording, or start one — to `--record PATH` the first time
/// when it was given but not opened yet, else to a fresh timestamped file here.
public struct RecordingControl {
  var requestedPath: String?
  let force: Bool
  let logEvery: Int
  let evalEvery: Int
  /// The dashboard's inputs (configuration, theme files), which no recording may overwrite.
  let inputs: FileGuard

  public init(
    requestedPath: String?, force: Bool, logEvery: Int, evalEvery: Int, inputs: FileGuard
  ) {
    self.requestedPath = requestedPath
    self.force = force
    self.logEvery = logEvery
    self.evalEvery = evalEvery
    self.inputs = inputs
  }

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
