import Foundation
import SPTestSupport
import Testing

/// Helpers shared by the fault tests: the checks that the terminal was given back, and readers
/// of logs and screens.
extension TmuxSession {
  /// After the program ended: `stty -g` as before, the main screen back, the cursor visible,
  /// and nothing of the dashboard left on the screen.
  func expectTerminalRestored(
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let before = sttyBefore
    #expect(
      before != nil && sttyAfter == before, "stty -g, \(what)", sourceLocation: sourceLocation)
    // tmux's #{alternate_on} and #{cursor_flag}, recorded by the wrapper as the program ended.
    let modes = screenModesAfter?.split(separator: " ")
    #expect(modes?.first == "0", "main screen back, \(what)", sourceLocation: sourceLocation)
    #expect(modes?.last == "1", "cursor visible, \(what)", sourceLocation: sourceLocation)
    let screen = capture()
    #expect(
      !screen.contains { $0.contains("step ") || $0.contains("┌") || $0.contains("Spc Pause") },
      "no dashboard left on the main screen, \(what)\n\(report(screen))",
      sourceLocation: sourceLocation)
  }

  /// Runs `sptop` with `arguments` (stderr into `stderrFile` if given) under sh, then prints
  /// `EXIT status` and waits, so the screen keeps what it left.
  static func sptopThenExit(
    _ arguments: [String], stderrFile: String? = nil, width: Int, height: Int
  ) throws -> TmuxSession {
    let line = ([SPTopProcess.binary.path] + arguments).map(quote).joined(separator: " ")
    let inner =
      line + (stderrFile.map { " 2> \(quote($0))" } ?? "") + "; echo \"EXIT $?\"; sleep 60"
    return try TmuxSession("sh -c \(quote(inner))", width: width, height: height)
  }

  /// Starts `sptop` with `arguments` in `folder` (so files it names land there).
  static func sptop(
    in folder: TemporaryFolder, _ arguments: [String], width: Int = 100, height: Int = 30,
    environment: [String: String] = [:]
  ) throws -> TmuxSession {
    let line = ([SPTopProcess.binary.path] + arguments).map(quote).joined(separator: " ")
    let inner = "cd \(quote(folder.path)) && exec \(line)"
    return try TmuxSession(
      "sh -c \(quote(inner))", width: width, height: height, environment: environment)
  }
}

/// The records of a session log, each parsed by JSONSerialization (which refuses NaN and Inf).
func logRecords(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String:
  Any]]
{
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
    Issue.record("cannot read \(path)", sourceLocation: sourceLocation)
    return []
  }
  return text.split(separator: "\n").enumerated().compactMap { i, line in
    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    if object == nil {
      Issue.record("\(path):\(i + 1) is not a JSON object: \(line.prefix(200))")
    }
    return object
  }
}

/// The rows of a screen that show a non-finite number as text (nan, inf, infinity).
func nonFiniteText(_ lines: [String]) -> [String] {
  lines.filter {
    $0.range(of: #"(?i)(?<![a-z])(nan|inf|infinity)(?![a-z])"#, options: .regularExpression)
      != nil
  }
}

/// The number after "step " in the dashboard's header.
func headerStep(_ screen: [String]) -> Int? {
  guard let header = screen.first, let r = header.range(of: "step ") else { return nil }
  return Int(header[r.upperBound...].prefix { $0.isNumber })
}

/// The screen with the clock (hh:mm:ss) masked, for comparing two captures of a paused session.
func maskedClock(_ lines: [String]) -> [String] {
  lines.map {
    $0.replacingOccurrences(of: #"\d\d:\d\d:\d\d"#, with: "hh:mm:ss", options: .regularExpression)
  }
}

/// The rows where two screens differ, for failure messages.
func screenDifference(_ a: [String], _ b: [String]) -> String {
  let rows = (0..<max(a.count, b.count)).filter {
    ($0 < a.count ? a[$0] : nil) != ($0 < b.count ? b[$0] : nil)
  }
  return rows.map { row in
    let old = row < a.count ? a[row] : "(none)"
    let new = row < b.count ? b[row] : "(none)"
    return "row \(row):\n  before |\(old)|\n  after  |\(new)|"
  }.joined(separator: "\n")
}
