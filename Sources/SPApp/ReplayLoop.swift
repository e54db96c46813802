import SPDashboard
import SPEngine
import SPTUI

/// The replay's UI loop over any terminal backend: a clock over the log's own time, and the
/// dashboard's reducer for keys (play and pause, seek, speed, focus, views). It plays one
/// session's log (`LogPlayback`) or an ensemble's (`EnsemblePlayback`).
public struct ReplayLoop {
  let playback: any ReplaySource
  let terminal: any TerminalBackend
  let fps: Int
  /// The dashboard's own state; its last value stays readable after `run` returns.
  public private(set) var state = DashboardState()
  /// The replay clock (seconds of the log's own time) when `run` returned.
  public private(set) var time = 0.0
  /// The replay's keys (`KeyMap.replay`, or the configuration's rebinding of it).
  public var keyMap = KeyMap.replay
  /// The big chart's smoothing weight when the loop starts (`--smoothing`; `z` cycles it).
  public var smoothing = 0.0
  /// Where the export key writes the charts on screen (the log's folder).
  public var exporter = ViewExport()
  /// The session step shown when the fork key ended the replay (nil: it ended otherwise).
  public private(set) var forkStep: Int?
  /// The snapshot of the last frame drawn.
  private var shown: SessionSnapshot?

  public init(playback: any ReplaySource, terminal: any TerminalBackend, fps: Int) {
    self.playback = playback
    self.terminal = terminal
    self.fps = fps
  }

  public mutating func run() -> Int32 {
    state = DashboardState()
    state.smoothing = smoothing
    forkStep = nil
    state.replaySpeed = 1
    state.replaySeekStep = playback.seekStep
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    var pacer = FramePacer(terminal: terminal, fps: fps)
    time = 0
    var playing = true
    var last = monotonicSeconds()
    var version = 0
    var cursor = playback.makeCursor()
    shown = nil
    // What the last key did (the export's file), for five seconds.
    var notice: (text: String, until: Double)?
    while true {
      if let signal = terminal.pendingSignal { return 128 + signal }
      let now = monotonicSeconds()
      if playing {
        time += (now - last) * (state.replaySpeed ?? 1)
        if time >= playback.duration {
          time = playback.duration
          playing = false
        }
      }
      last = now
      if let n = notice, n.until < now { notice = nil }
      pacer.drawIfDue(now: now) { buffer in
        version += 1
        shown = cursor.snapshot(at: time, playing: playing, version: version)
        DashboardView(
          snapshot: shown, state: state, glyphs: glyphs, keyMap: keyMap, message: notice?.text
        ).render(in: buffer.area, into: &buffer)
      }
      guard let key = pacer.nextKey() else { continue }
      // The lineup of the moment shown (lineup events change it).
      cursor.move(to: time)
      let size = terminal.size
      // Where the charts of the frame on screen are (the cursor moves by their columns).
      let geometry = DashboardView(snapshot: shown, state: state, glyphs: glyphs, keyMap: keyMap)
        .geometry(in: Rect(x: 0, y: 0, width: size.width, height: size.height))
      for effect in state.update(
        with: key, keyMap: keyMap, modelCount: cursor.modelCount, geometry: geometry)
      {
        switch effect {
        case .quit: return 0
        case .playPause:
          if !playing && time >= playback.duration { time = 0 }
          playing.toggle()
        case .seek(let presses):
          playing = false
          time = playback.seek(from: time, by: presses)
        case .fork:
          forkStep = playback.step(at: time)
          return 0
        case .exportView:
          let page = DashboardView(snapshot: shown, state: state, glyphs: glyphs, keyMap: keyMap)
            .exportedPage()
          notice = (exporter.write(page), monotonicSeconds() + 5)
        case .session, .toggleRecording, .cycleTheme, .notice: break  // live dashboard only
        }
      }
      pacer.redraw()
    }
  }

  /// The last frame drawn again with `message` in its footer (what happens after the replay
  /// ended: the fork's parent re-running).
  public func show(message: String) {
    let size = terminal.size
    var buffer = Buffer(width: size.width, height: size.height)
    DashboardView(
      snapshot: shown, state: state, glyphs: terminal.unicode ? .unicode : .ascii,
      keyMap: keyMap, message: message
    ).render(in: buffer.area, into: &buffer)
    terminal.draw(buffer)
  }
}
