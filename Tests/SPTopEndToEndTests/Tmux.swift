import Foundation
import SPTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A program running in a detached tmux session of its own, for end-to-end tests that look at
/// the screen: send keys, capture the pane, resize the window, read the exit status.
///
/// Each session has its own tmux server (`tmux -L <unique socket>`), so tests never touch the
/// user's tmux and can run in parallel. The server starts with a small environment (PATH, HOME,
/// USER), never the test's own, so NO_COLOR or LC_ALL cannot leak in. The program runs under a
/// wrapper shell that records `stty -g` before and after it, and the pane stays after the
/// program exits so its status can be read. Every wait has a timeout; a failed wait records an
/// Issue showing the screen. Not thread-safe: use one session from one test.
final class TmuxSession {
  /// A tmux command failed, or the session could not be started.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// The result of one tmux command.
  struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The tmux socket name (`tmux -L`), private to this session.
  let socket: String
  /// The session's name.
  let name: String
  /// Where the wrapper scripts, the stty records and the program's pid live.
  private let folder: TemporaryFolder
  var directory: URL { folder.url }
  /// The shell command line the session runs.
  let command: String
  /// The server's socket file, removed by `close()` (tmux leaves it behind).
  private var socketPath = ""
  /// The tmux server's process id.
  private(set) var serverPID: pid_t?
  private(set) var isClosed = false
  private var knownPID: pid_t?

  /// What tmux writes on the last row when the program has exited (`remain-on-exit-format`).
  static let exitMarker = "[sptop-e2e: program exited, status"

  /// Environment every session gets unless `environment` overrides it.
  /// XDG_CONFIG_HOME points nowhere, so the user's own sptop config and themes stay out.
  static let defaultEnvironment = [
    "TERM": "xterm-256color", "LANG": "C.UTF-8", "XDG_CONFIG_HOME": "/nonexistent/sptop-e2e",
  ]

  /// Starts `command` (one shell command, e.g. `sh -c '…'` or a quoted program and its
  /// arguments; it is `exec`ed so `pid` is the program's) in a `width`×`height` window.
  /// `environment` is added to `defaultEnvironment`, overriding it; names in `unset` are removed.
  init(
    _ command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:],
    unset: [String] = []
  ) throws {
    let id = UUID().uuidString.lowercased()
    socket = "sptop-e2e-\(id.prefix(18))"
    name = "e2e-\(id.prefix(8))"
    self.command = command
    folder = try TemporaryFolder("tmux")

    var env = Self.defaultEnvironment
    // A sanitized test run's settings (.ci/run: where reports go) reach the program too.
    for key in ["TSAN_OPTIONS", "ASAN_OPTIONS"] {
      env[key] = ProcessInfo.processInfo.environment[key]
    }
    for (key, value) in environment { env[key] = value }
    for key in unset { env[key] = nil }
    let exports = env.keys.sorted().map { "export \($0)=\(Self.quote(env[$0]!))" }
    let unsets = unset.filter { !$0.isEmpty }.map { "unset \($0)" }
    let program = ["echo $$ > \(Self.quote(file("pid").path))", "exec \(command)"]
    // Ctrl-C or Ctrl-\ that reach the wrapper must not stop it before the `stty` after the
    // program; a trap with a command (not '') is reset to the default in the program.
    let wrapper =
      [
        "trap : INT QUIT",
        "stty -g > \(Self.quote(file("stty-before").path)) 2>/dev/null",
      ] + exports + unsets + [
        "sh \(Self.quote(file("program.sh").path))",
        "status=$?",
        "stty -g > \(Self.quote(file("stty-after").path)) 2>/dev/null",
        // The pane's screen modes while it still lives (tmux changes them when it dies).
        "tmux display-message -p -t \"$TMUX_PANE\" '#{alternate_on} #{cursor_flag}' "
          + "> \(Self.quote(file("screen-after").path)) 2>/dev/null",
        "exit $status",
      ]
    let config = [
      "set -g remain-on-exit on",
      "set -g status off",
      "set -g remain-on-exit-format \"\(Self.exitMarker) #{pane_dead_status}\"",
      "set -s escape-time 0",
    ]
    try (program.joined(separator: "\n") + "\n").write(
      to: file("program.sh"), atomically: true, encoding: .utf8)
    try (wrapper.joined(separator: "\n") + "\n").write(
      to: file("run.sh"), atomically: true, encoding: .utf8)
    try (config.joined(separator: "\n") + "\n").write(
      to: file("tmux.conf"), atomically: true, encoding: .utf8)

    let started = tmux(
      [
        "-f", file("tmux.conf").path, "new-session", "-d", "-s", name, "-x", String(width),
        "-y", String(height), "-c", FileManager.default.currentDirectoryPath,
        "sh \(Self.quote(file("run.sh").path))",
        // Only after the session exists: in the config file tmux 3.3a's server dies of it.
        ";", "set-option", "-g", "window-size", "manual",
      ])
    guard started.status == 0 else {
      close()
      throw Failure(description: "tmux new-session failed (\(started.status)): \(started.stderr)")
    }
    let server = display("#{pid} #{socket_path}")
    let space = server.firstIndex(of: " ") ?? server.endIndex
    serverPID = pid_t(server[..<space])
    socketPath = String(server[space...].dropFirst())
  }

  /// A session running the built `sptop` binary with `arguments`.
  static func sptop(
    _ arguments: [String], width: Int = 80, height: Int = 24,
    environment: [String: String] = [:], unset: [String] = []
  ) throws -> TmuxSession {
    // The dashboard runs unpaced (`--pace max`, as before pacing existed) unless the test asks
    // for a pace: these tests wait for what a run shows, not for its wall time.
    let subcommands: Set = ["replay", "verify", "export", "run", "bench", "themes"]
    var arguments = arguments
    if !arguments.contains("--pace"), !arguments.contains(where: { $0.hasPrefix("--pace=") }),
      arguments.first.map({ !subcommands.contains($0) }) ?? true
    {
      arguments += ["--pace", "max"]
    }
    let line = ([SPTopProcess.binary.path] + arguments).map(quote).joined(separator: " ")
    return try TmuxSession(
      line, width: width, height: height, environment: environment, unset: unset)
  }

  deinit { close() }

  // MARK: Input

  /// Sends tmux key names ("Space", "Tab", "BTab", "Enter", "Escape", "C-c", "q", "+", "Up",
  /// "F1", …) in one `send-keys`.
  func sendKeys(_ keys: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    expectSuccess(tmux(["send-keys", "-t", name, "--"] + keys), "send-keys", sourceLocation)
  }

  /// Types `text` literally (`send-keys -l`): no key names, every character as itself.
  func sendText(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let result = tmux(["send-keys", "-t", name, "-l", "--", text])
    expectSuccess(result, "send-keys -l", sourceLocation)
  }

  // MARK: Screen

  /// The visible screen, one string a row (trailing blanks dropped by tmux); with `escapes`,
  /// including the SGR sequences of colours and attributes. Empty when tmux fails.
  ///
  /// Once the program has exited, this is the screen it left: tmux scrolls the pane up a row to
  /// show its exit message, so the row is taken back from the history and the message dropped.
  func capture(escapes: Bool = false) -> [String] {
    let result = tmux(
      ["display-message", "-p", "-t", name, "#{pane_height}", ";"]
        + ["capture-pane", "-p", "-S", "-1", "-t", name] + (escapes ? ["-e"] : []))
    guard result.status == 0 else { return [] }
    var lines = result.stdout.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    guard let first = lines.first, let height = Int(first), lines.count > height else {
      return []
    }
    lines.removeFirst()
    let history = lines.count - height  // 0, or the 1 row of history asked for
    if history > 0, let exit = lines.lastIndex(where: { $0.contains(Self.exitMarker) }),
      exit >= history
    {
      lines.remove(at: exit)
      return lines
    }
    return Array(lines.suffix(height))
  }

  /// Polls the screen every 50 ms until `predicate` holds and returns that screen; after
  /// `timeout` seconds records an Issue showing the last screen and returns nil.
  ///
  /// tmux can be asked for the screen while the program is still writing a frame (the first
  /// frame especially, when a busy machine holds the program up mid-write): the predicate may
  /// hold on the part drawn so far while the rest of the frame, which a test then looks at, is
  /// not there yet. So once the predicate holds, the screen is taken again a little more than a
  /// frame later (at 30 frames a second, the frame has been written out by then) and that one is
  /// returned when the predicate still holds on it; the first one otherwise (a screen that
  /// lasts less than that, such as a message that goes away).
  @discardableResult
  func waitFor(
    timeout: Double = 5, _ what: String = "the expected screen",
    sourceLocation: SourceLocation = #_sourceLocation, _ predicate: ([String]) -> Bool
  ) -> [String]? {
    var screen: [String] = []
    let found = SPTestSupport.waitFor(timeout: timeout, every: 0.05) { () -> [String]? in
      screen = capture()
      return predicate(screen) ? screen : nil
    }
    guard let found else {
      Issue.record(
        "timed out after \(timeout) s waiting for \(what)\n\(report(screen))",
        sourceLocation: sourceLocation)
      return nil
    }
    usleep(Self.frameSettle)
    let later = capture()
    return predicate(later) ? later : found
  }

  /// How long after a screen first matches it is taken again (see `waitFor`), in µs: two
  /// frames at the dashboard's default 30 a second.
  static let frameSettle: UInt32 = 70_000

  /// Waits until some row of the screen contains `text`.
  @discardableResult
  func waitFor(
    text: String, timeout: Double = 5, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [String]? {
    waitFor(timeout: timeout, "\"\(text)\"", sourceLocation: sourceLocation) { screen in
      screen.contains { $0.contains(text) }
    }
  }

  // MARK: Process

  /// The exit status once the program has ended (128 + n when a signal n ended it), polling
  /// every 50 ms; nil, with an Issue showing the screen, after `timeout` seconds.
  @discardableResult
  func waitForExit(timeout: Double = 5, sourceLocation: SourceLocation = #_sourceLocation)
    -> Int32?
  {
    let status = SPTestSupport.waitFor(timeout: timeout, every: 0.05) { exitStatus }
    if status == nil {
      Issue.record(
        "timed out after \(timeout) s waiting for the program to exit\n\(report(capture()))",
        sourceLocation: sourceLocation)
    }
    return status
  }

  /// The exit status if the program (and its wrapper) has ended and tmux has collected it, nil
  /// before. (A pane can read as dead a moment before its status is known.)
  var exitStatus: Int32? {
    let fields = display("#{pane_dead} #{pane_dead_status} #{pane_dead_signal}")
      .split(separator: " ", omittingEmptySubsequences: false)
    guard fields.first == "1" else { return nil }
    if fields.count > 1, let status = Int32(fields[1]) { return status }
    if fields.count > 2, let signal = Int32(fields[2]) { return 128 + signal }
    // Dead, but tmux has not collected the status. Under load, tmux 3.3a (Debian, built with
    // libutempter) sometimes never does: the pane's shell stays a zombie. tmux/tmux#311 shows
    // libutempter's own SIGCHLD handler swallowing a pane's SIGCHLD; the workaround given
    // there, a SIGCHLD to the server, makes it reap the pane.
    if let serverPID { _ = sendSignal(serverPID, SIGCHLD) }
    return nil
  }

  /// The program's process id (the wrapper `exec`s it), waiting up to 5 s for it to start.
  var pid: pid_t? {
    if let knownPID { return knownPID }
    knownPID = SPTestSupport.waitFor(timeout: 5, every: 0.02) { pidFromFile() }
    return knownPID
  }

  /// Sends `signal` to the program; false when its pid is unknown or `kill` fails.
  @discardableResult
  func signal(_ signal: Int32) -> Bool {
    guard let pid else { return false }
    return sendSignal(pid, signal) == 0
  }

  /// `stty -g` of the pane before the program started (nil if not yet recorded).
  var sttyBefore: String? { record("stty-before") }
  /// `stty -g` of the pane after the program ended (nil while it runs).
  var sttyAfter: String? { record("stty-after") }
  /// `#{alternate_on} #{cursor_flag}` of the pane right after the program ended, before the
  /// pane died ("0 1": main screen, cursor visible); nil while it runs.
  var screenModesAfter: String? { record("screen-after") }

  // MARK: Window

  /// Resizes the window (and so the pane and the program's terminal) and checks tmux took it.
  func resize(width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    expectSuccess(
      tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)]),
      "resize-window", sourceLocation)
    let size = self.size
    if size.width != width || size.height != height {
      Issue.record(
        "resize to \(width)x\(height) left the window at \(size.width)x\(size.height)",
        sourceLocation: sourceLocation)
    }
  }

  /// The window's size in cells.
  var size: (width: Int, height: Int) {
    let parts = display("#{window_width} #{window_height}").split(separator: " ")
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else { return (0, 0) }
    return (w, h)
  }

  /// A tmux format expanded for the pane (`display-message -p`), e.g. "#{pane_width}".
  func display(_ format: String) -> String {
    let result = tmux(["display-message", "-p", "-t", name, format])
    return result.stdout.trimmingCharacters(in: .newlines)
  }

  // MARK: Teardown

  /// Kills the tmux server (and so the program, by SIGHUP; SIGKILL if it lingers) and removes
  /// the session's files. Idempotent; `deinit` calls it.
  func close() {
    guard !isClosed else { return }
    isClosed = true
    let program = knownPID ?? pidFromFile()
    _ = tmux(["kill-server"])
    if let program {
      let gone = { !Self.isRunning(program) }
      if !SPTestSupport.waitFor(timeout: 1, every: 0.01, gone) {
        _ = sendSignal(program, SIGKILL)
        // SIGKILL is delivered when the program is next scheduled: under load, not at once.
        SPTestSupport.waitFor(timeout: 1, every: 0.01, gone)
      }
    }
    if !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
    try? FileManager.default.removeItem(at: directory)
  }

  /// Same as `close()`.
  func kill() { close() }

  // MARK: Helpers

  /// Runs `tmux -L <socket> <arguments>` with a small, fixed environment; gives up (status -1)
  /// after `timeout` seconds (then it is killed). Status -1 too when it could not start or a
  /// signal ended it. No descriptor beyond 0–2 is passed on (`Launch`): the daemonised tmux
  /// server must not keep other tests' pipes open.
  @discardableResult
  func tmux(_ arguments: [String], timeout: Double = 5) -> CommandResult {
    let r = Launch.runAndWait(
      ["tmux", "-L", socket] + arguments, environment: Self.serverEnvironment,
      signals: [Launch.Deadline(after: timeout, signal: SIGKILL)])
    let exited = r.signalsSent.isEmpty && r.status >= 0 && r.status < 128
    return CommandResult(status: exited ? r.status : -1, stdout: r.stdout, stderr: r.stderr)
  }

  /// A screen framed by '|' (so trailing blanks show), with the window size and pane state.
  func report(_ screen: [String]) -> String {
    let size = self.size
    let state = display("dead=#{pane_dead} status=#{pane_dead_status}")
    let rows = screen.map { "|\($0)|" }.joined(separator: "\n")
    return "screen (\(size.width)x\(size.height), \(state)):\n\(rows)"
  }

  /// Whether process `pid` exists and has not exited (a zombie, exited but not yet reaped by
  /// its parent, counts as gone).
  static func isRunning(_ pid: pid_t) -> Bool {
    guard sendSignal(pid, 0) == 0 else { return false }
    #if os(Linux)
      // /proc/<pid>/stat: "pid (name) S …"; the state letter follows the last ')'.
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let paren = stat.lastIndex(of: ")")
      else { return true }
      return !stat[paren...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    #else
      return true
    #endif
  }

  /// `text` as one single-quoted shell word.
  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The tmux server's environment: enough to find programs, nothing that changes their output.
  private static let serverEnvironment: [String: String] = {
    let own = ProcessInfo.processInfo.environment
    var env = ["PATH": own["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
    for key in ["HOME", "USER", "LOGNAME", "TMUX_TMPDIR"] { env[key] = own[key] }
    return env
  }()

  private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

  private func record(_ name: String) -> String? {
    (try? String(contentsOf: file(name), encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func pidFromFile() -> pid_t? {
    record("pid").flatMap { pid_t($0) }
  }

  private func expectSuccess(
    _ result: CommandResult, _ what: String, _ sourceLocation: SourceLocation
  ) {
    guard result.status != 0 else { return }
    Issue.record(
      "tmux \(what) failed (\(result.status)): \(result.stderr)\n\(report(capture()))",
      sourceLocation: sourceLocation)
  }
}

/// `kill(2)`: sends `signal` to process `pid` (0 only checks that it exists).
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
  #if canImport(Glibc)
    Glibc.kill(pid, signal)
  #else
    Darwin.kill(pid, signal)
  #endif
}
