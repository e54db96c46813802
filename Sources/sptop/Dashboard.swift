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

  @Option(help: "Frames per second of the dashboard (1…240).")
  var fps: Int = 30

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
  }

  func run() throws {
    let settings = try training.settings()
    let session: TrainingSession
    do {
      session = try TrainingSession(settings: settings, publishInterval: 1 / Double(fps))
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    let terminal: Terminal
    do {
      terminal = try Terminal.open()
    } catch {
      let text = "\(error)"
      throw CommandFailure(message: text.hasPrefix("sptop: ") ? String(text.dropFirst(7)) : text)
    }
    session.start()
    let status = DashboardLoop(
      session: session, terminal: terminal, fps: fps, modelCount: settings.models.count
    ).run()
    session.send(.stop)
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

  /// Runs until a quit key or a terminating signal; returns the exit status (128 + signal).
  func run() -> Int32 {
    var state = DashboardState()
    let keyMap = KeyMap.standard
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    let frame = 1 / Double(fps)
    var nextFrame = monotonicSeconds()
    while true {
      if let signal = Terminal.pendingSignal { return 128 + signal }
      let now = monotonicSeconds()
      if now >= nextFrame {
        let size = terminal.size
        var buffer = Buffer(width: size.width, height: size.height)
        DashboardView(snapshot: session.snapshot, state: state, glyphs: glyphs, keyMap: keyMap)
          .render(in: buffer.area, into: &buffer)
        terminal.draw(buffer)
        nextFrame = max(nextFrame + frame, now)
      }
      let wait = max(0, Int(((nextFrame - monotonicSeconds()) * 1000).rounded(.up)))
      guard let key = terminal.readKey(timeoutMilliseconds: wait) else { continue }
      if key == .resize {
        terminal.invalidate()
        nextFrame = monotonicSeconds()
        continue
      }
      let commands = state.handle(key, keyMap: keyMap, modelCount: modelCount)
      for command in commands { session.send(command) }
      if state.quitRequested { return 0 }
      // Redraw almost at once: a few milliseconds let the session publish the command's effect.
      nextFrame = min(nextFrame, monotonicSeconds() + (commands.isEmpty ? 0 : 0.005))
    }
  }
}
