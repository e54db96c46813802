import Foundation
import SPTestSupport
import Testing

/// What the dashboard is doing when a signal arrives.
enum DashboardPhase: String, CaseIterable, Sendable {
  case training, paused, recording, help
}

/// One signal delivered in one phase.
struct SignalCase: Sendable, CustomTestStringConvertible {
  var signal: Int32
  var name: String
  var phase: DashboardPhase
  var testDescription: String { "\(name) while \(phase.rawValue)" }

  static let signals: [(Int32, String)] = [
    (SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT"),
  ]
  /// Every signal in every phase: 16 cases.
  static let all = signals.flatMap { s in
    DashboardPhase.allCases.map { SignalCase(signal: s.0, name: s.1, phase: $0) }
  }
}

/// Signals and crashes: the terminal is given back whole, a recording gets its end record, and
/// the exit status says what happened.
@Suite(.timeLimit(.minutes(2))) struct SignalEndToEndTests {
  @Test(arguments: SignalCase.all)
  func quitSignalRestoresTheTerminal(_ c: SignalCase) throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("signal.jsonl")
    var arguments = ["--iterations", "0", "--log-every", "100"]
    if c.phase == .recording { arguments += ["--record", log] }
    let s = try TmuxSession.sptop(in: folder, arguments, width: 100, height: 30)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 20) != nil)
    switch c.phase {
    case .training:
      let k = headerStep(s.capture()) ?? 0
      #expect(s.waitFor(timeout: 10, "training") { (headerStep($0) ?? 0) > k } != nil)
    case .paused:
      s.sendKeys("Space")
      #expect(s.waitFor(text: "PAUSED") != nil)
    case .recording:
      #expect(s.waitFor(text: "● REC") != nil)
    case .help:
      s.sendKeys("?")
      #expect(s.waitFor(text: "sptop keys") != nil)
    }
    #expect(s.signal(c.signal), "\(c.name) delivered")
    #expect(s.waitForExit(timeout: 10) == 128 + c.signal, "exit status 128 + \(c.name)")
    s.expectTerminalRestored(c.testDescription)
    guard c.phase == .recording else { return }
    let records = logRecords(log)
    let end = try #require(records.last)
    #expect(records.first?["type"] as? String == "header")
    #expect(end["type"] as? String == "end")
    #expect(end["reason"] as? String == "signal")
    #expect(end["signal"] as? Int == Int(c.signal))
    #expect((end["models"] as? [Any])?.count == 3)
  }

  /// `sptop run` ends as cleanly on a signal: its recording too, and the status says which.
  @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
  func headlessRunEndsItsRecordingOnASignal(signal: Int32, name: String) throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("run.jsonl")
    let command = ([SPTopProcess.binary.path, "run", "--iterations", "100000000", "--record", log])
      .map(TmuxSession.quote).joined(separator: " ")
    let s = try TmuxSession("sh -c \(TmuxSession.quote("exec \(command) >/dev/null"))")
    defer { s.close() }
    #expect(s.waitFor(text: "steps/s", timeout: 20) != nil, "the progress bar is shown")
    #expect(s.signal(signal), "\(name) delivered")
    #expect(s.waitForExit(timeout: 10) == 128 + signal)
    #expect(s.waitFor(text: "stopped by signal \(signal)") != nil)
    let end = try #require(logRecords(log).last)
    #expect(end["type"] as? String == "end" && end["reason"] as? String == "signal")
    #expect(end["signal"] as? Int == Int(signal))
  }

  /// SIGKILL while recording (beyond SessionLogEndToEndTests.killNineLeavesAUsableLog): every
  /// whole line parses, at most about a second is lost, and with a line cut by the kill (made
  /// here, as a kill during a write would leave it) `replay --summary` and `verify` still work
  /// up to the cut, saying so on stderr.
  @Test func killNineLogParsesToItsLastWholeLineAndVerifiesUpToACut() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("killed.jsonl")
    let s = try TmuxSession.sptop(
      in: folder, ["--iterations", "0", "--log-every", "100", "--record", log])
    defer { s.close() }
    #expect(s.waitFor(text: "● REC", timeout: 20) != nil)
    let recording = Date()
    usleep(1_500_000)
    let ran = Date().timeIntervalSince(recording)
    #expect(s.signal(SIGKILL))
    #expect(s.waitForExit(timeout: 10) == 128 + SIGKILL)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.hasSuffix("\n"), "only whole lines are written")
    let records = logRecords(log)
    #expect(records.count == text.split(separator: "\n").count, "every line parses")
    let last = records.compactMap { $0["elapsed"] as? Double }.max() ?? 0
    #expect(last >= ran - 1.5, "the last record (\(last) s) is at most about a second old")

    let metric = text.split(separator: "\n").last { $0.contains("\"type\":\"metric\"") }
    let cut = text + String(metric?.prefix(40) ?? "{\"type\":\"met")
    try cut.write(toFile: log, atomically: true, encoding: .utf8)
    let summary = try SPTopProcess.run(["replay", "--summary", log])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stderr.contains("cut off") && summary.stdout.contains("vanilla"))
    let verify = try SPTopProcess.run(["verify", log])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stderr.contains("cut off") && verify.stdout.contains("no end record"))
  }

  /// A trap (the `SPTOP_TEST_CRASH` hook, on the UI thread or another one) restores the
  /// terminal before the process dies of it, and its message is shown on the main screen.
  @Test(arguments: ["700", "background:700"])
  func crashRestoresTheTerminal(hook: String) throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession.sptop(
      in: folder, ["--iterations", "0"], width: 100, height: 30,
      environment: ["SPTOP_TEST_CRASH": hook, "SWIFT_BACKTRACE": "enable=no"])
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 20) != nil)
    let status = try #require(s.waitForExit(timeout: 10))
    // Killed by the trap's signal: SIGILL (ud2) or SIGTRAP, as the shell reports it.
    #expect([128 + SIGILL, 128 + SIGTRAP].contains(status), "status \(status)")
    s.expectTerminalRestored("after a crash (\(hook))")
    #expect(s.capture().contains { $0.contains("a deliberate crash for the tests") })
  }

  /// A dashboard stuck on its UI thread (the hook's `hang:`) does not act on a quit signal; a
  /// second one, two seconds or more after the first, restores the terminal from the signal
  /// handler and ends the process with that signal.
  @Test func secondQuitSignalEndsAStuckDashboard() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession.sptop(
      in: folder, ["--iterations", "0"], width: 100, height: 30,
      environment: ["SPTOP_TEST_CRASH": "hang:500"])
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 20) != nil)
    let pid = try #require(s.pid)
    usleep(1_000_000)
    kill(pid, SIGTERM)
    usleep(1_000_000)
    #expect(s.exitStatus == nil, "one signal does not end a stuck dashboard")
    usleep(1_500_000)
    kill(pid, SIGTERM)
    let status = try #require(s.waitForExit(timeout: 10))
    #expect(status == 128 + SIGTERM, "status \(status)")
    s.expectTerminalRestored("after a second SIGTERM to a stuck dashboard")
  }

  /// Without the hook, or with a value that is not a number, nothing crashes.
  @Test func crashHookNeedsANumber() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession.sptop(
      in: folder, ["--iterations", "0"], width: 100, height: 30,
      environment: ["SPTOP_TEST_CRASH": "soon"])
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 20) != nil)
    usleep(800_000)
    #expect(s.exitStatus == nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)
    s.expectTerminalRestored("after q")
  }
}
