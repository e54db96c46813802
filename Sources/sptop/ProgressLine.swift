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
    guard enabled else { return }
    let now = monotonicSeconds()
    guard now - start >= 0.5, now - last >= 0.1 else { return }
    last = now
    shown = true
    write("\r\u{1B}[K" + OneLine.escaped(text()))
  }

  /// Removes the line, if one was shown.
  func clear() {
    guard shown else { return }
    shown = false
    write("\r\u{1B}[K")
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
}
