/// What a dashboard loop needs of a terminal: its size, drawing a frame, the next key (or a
/// resize) within a timeout, and any terminating signal. SPCurses' `Terminal` is the real one;
/// `TestBackend` drives a loop in unit tests with no terminal (ratatui's `Backend` and
/// `TestBackend` are the model).
///
/// Suspending (Ctrl-Z) happens inside the backend when the signal arrives: the process stops
/// with the terminal given back, and on resuming `readKey` reports `.resize`, since the terminal
/// may have changed meanwhile.
public protocol TerminalBackend: AnyObject {
  /// The screen's size in cells.
  var size: (width: Int, height: Int) { get }
  /// Whether the terminal shows Unicode (block and braille glyphs); otherwise ASCII only.
  var unicode: Bool { get }
  /// Shows `buffer`, writing only the cells that changed since the last frame.
  func draw(_ buffer: Buffer)
  /// The next key within `timeoutMilliseconds`; nil when none came. `.resize` after a change of
  /// size (or a resume).
  func readKey(timeoutMilliseconds: Int) -> Key?
  /// Forgets what is on the screen, so the next frame is written whole.
  func invalidate()
  /// The terminating signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) that arrived, if any.
  var pendingSignal: Int32? { get }
}
