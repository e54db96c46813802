import ArgumentParser
import Foundation
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

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
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
    let contents = try LogCommands.read(log)
    if summary {
      // The summary re-runs the session: on a terminal, how far it is, in place.
      let progress = ProgressLine()
      let result = LogVerifier.result(contents) { step, last in
        progress.show(
          {
            let rate = Double(step) / max(progress.elapsed, 1e-3)
            return "sptop replay: re-running step \(ProgressLine.count(step)) of "
              + "\(ProgressLine.count(last)), \(ProgressLine.count(Int(rate))) steps/s, "
              + ProgressLine.eta(Double(last - step) / max(rate, 1e-9))
          }())
      }
      progress.clear()
      print(ResultTable.render(result), terminator: "")
      return
    }
    let terminal: Terminal
    do {
      terminal = try Terminal.open()
    } catch {
      let text = "\(error)"
      throw CommandFailure(message: text.hasPrefix("sptop: ") ? String(text.dropFirst(7)) : text)
    }
    let status = ReplayLoop(playback: LogPlayback(contents), terminal: terminal, fps: fps).run()
    terminal.close()
    if status != 0 { Foundation.exit(status) }
  }
}

/// The replay's UI loop: a clock over the log's own time, keys to play, step and change speed.
struct ReplayLoop {
  let playback: LogPlayback
  let terminal: Terminal
  let fps: Int

  func run() -> Int32 {
    var state = DashboardState()
    state.replaySpeed = 1
    let keyMap = KeyMap.replay
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    var pacer = FramePacer(terminal: terminal, fps: fps)
    var time = 0.0
    var playing = true
    var last = monotonicSeconds()
    var version = 0
    var cursor = LogPlayback.Cursor(playback)
    let models = playback.log.header.lineup.count
    while true {
      if let signal = Terminal.pendingSignal { return 128 + signal }
      let now = monotonicSeconds()
      if playing {
        time += (now - last) * (state.replaySpeed ?? 1)
        if time >= playback.duration {
          time = playback.duration
          playing = false
        }
      }
      last = now
      pacer.drawIfDue(now: now) { buffer in
        version += 1
        DashboardView(
          snapshot: cursor.snapshot(at: time, playing: playing, version: version), state: state,
          glyphs: glyphs, keyMap: keyMap
        ).render(in: buffer.area, into: &buffer)
      }
      guard let key = pacer.nextKey() else { continue }
      let commands = state.handle(key, keyMap: keyMap, modelCount: models)
      if state.quitRequested { return 0 }
      if commands.contains(.togglePause) {
        if !playing && time >= playback.duration { time = 0 }
        playing.toggle()
      }
      while !state.loopRequests.isEmpty {
        switch state.loopRequests.removeFirst() {
        case .back:
          playing = false
          time = playback.previousTime(before: time)
        case .forward:
          playing = false
          time = playback.nextTime(after: time)
        case .slower: state.replaySpeed = max(1.0 / 64, (state.replaySpeed ?? 1) / 2)
        case .faster: state.replaySpeed = min(1024, (state.replaySpeed ?? 1) * 2)
        default: break
        }
      }
      pacer.redraw()
    }
  }
}
