import Foundation
import SPEngine

/// A progress line on stderr for work that takes a while (`verify`, reading a long log): on a
/// terminal, one line rewritten in place (`\r`) at most ten times a second, from half a second
/// in, and cleared at the end; nothing at all when stderr is a pipe or a file, so what a script
/// reads is unchanged.
final class ProgressLine {
  let enabled: Bool
  private let start = monotonicSeconds()
  private var last = 0.0
  private var shown = false

  init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

  /// Shows `text` if a tenth of a second has passed since the last one.
  func show(_ text: @autoclosure () -> String) {
    guard enabled, monotonicSeconds() - last >= 0.1 else { return }
    showNow(text())
  }

  /// Shows `text` at once (no tenth of a second since the last one needed) if the work has
  /// gone on for half a second: a last line before a step that reports no progress of its own.
  func showNow(_ text: @autoclosure () -> String) {
    guard enabled else { return }
    let now = monotonicSeconds()
    guard now - start >= 0.5 else { return }
    last = now
    shown = true
    write("\r\u{1B}[K" + Self.fitted(OneLine.escaped(text())))
  }

  /// Removes the line, if one was shown.
  func clear() {
    guard shown else { return }
    shown = false
    write("\r\u{1B}[K")
  }

  /// `text` cut to the terminal's width less a column, "…" where it was cut: a line that
  /// wrapped would leave its first rows behind when `\r` and erase-line clear it. The cut is
  /// in the middle (a long path's), so the figures at the end stay.
  static func fitted(_ text: String, columns: Int? = terminalColumns()) -> String {
    guard let columns, columns > 1, text.count > columns - 1 else { return text }
    let head = (columns - 2) / 3
    return String(text.prefix(head)) + "…" + String(text.suffix(columns - 2 - head))
  }

  /// The width of the terminal on stderr, nil when it is none or says none.
  static func terminalColumns() -> Int? {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

  /// Seconds since the line was made.
  var elapsed: Double { monotonicSeconds() - start }

  /// "12,345".
  static func count(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (k, c) in digits.reversed().enumerated() {
      if k > 0 && k % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }

  /// "ETA 3 s", "ETA 2 min 5 s" for `remaining` seconds.
  static func eta(_ remaining: Double) -> String {
    guard remaining.isFinite, remaining >= 0 else { return "ETA —" }
    let s = Int(remaining.rounded(.up))
    return s < 60 ? "ETA \(s) s" : "ETA \(s / 60) min \(s % 60) s"
  }

  /// How far a re-run is after `elapsed` seconds: "1,952 of 2,700, 8,618 steps/s, ETA 1 s".
  static func steps(_ step: Int, of last: Int, elapsed: Double) -> String {
    let rate = Double(step) / max(elapsed, 1e-3)
    return "\(count(step)) of \(count(last)), \(count(Int(rate))) steps/s, "
      + eta(Double(last - step) / max(rate, 1e-9))
  }
}
