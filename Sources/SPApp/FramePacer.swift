import SPEngine
import SPTUI

/// Paces a UI loop, the dashboard's and the replay's: a frame when one is due (at most `fps` a
/// second), keys read while waiting for the next, and a resize redrawn in full at once.
struct FramePacer {
  let terminal: any TerminalBackend
  let frame: Double
  private var nextFrame: Double

  init(terminal: any TerminalBackend, fps: Int) {
    self.terminal = terminal
    frame = 1 / Double(fps)
    nextFrame = monotonicSeconds()
  }

  /// Draws what `render` puts in a terminal-sized buffer when a frame is due at `now`.
  mutating func drawIfDue(now: Double, _ render: (inout Buffer) -> Void) {
    guard now >= nextFrame else { return }
    let size = terminal.size
    var buffer = Buffer(width: size.width, height: size.height)
    render(&buffer)
    terminal.draw(buffer)
    nextFrame = max(nextFrame + frame, now)
  }

  /// Waits for a key until the next frame is due; nil when none came. A resize is handled here
  /// (full redraw, at once) and also gives nil.
  mutating func nextKey() -> Key? {
    let wait = max(0, Int(((nextFrame - monotonicSeconds()) * 1000).rounded(.up)))
    guard let key = terminal.readKey(timeoutMilliseconds: wait) else { return nil }
    if key == .resize {
      terminal.invalidate()
      nextFrame = monotonicSeconds()
      return nil
    }
    return key
  }

  /// Brings the next frame forward to `time` at the latest.
  mutating func redraw(by time: Double = monotonicSeconds()) {
    nextFrame = min(nextFrame, time)
  }
}
