import Foundation
import SPTestSupport
import Testing

/// The tmux harness itself, on small shell programs instead of the dashboard: keys in, screen
/// out, exit status, resizing, the stty record and the failure report.
@Suite(.timeLimit(.minutes(1))) struct TmuxHarnessTests {
  @Test func typesReadsAndReportsTheExitStatus() throws {
    let session = try TmuxSession(
      "sh -c 'printf ready; read x; echo got:$x; exit 3'", width: 60, height: 10)
    defer { session.close() }
    #expect(session.waitFor(text: "ready") != nil)
    let pid = try #require(session.pid)
    #expect(pid > 1)
    session.sendText("hello")
    session.sendKeys("Enter")
    let screen = session.waitFor(text: "got:hello")
    #expect(screen?.count == 10, "capture gives every row of a 60x10 pane")
    #expect(session.waitForExit() == 3)
    // The pane stays after the exit: it can still be read and resized.
    #expect(session.capture().contains { $0.contains("got:hello") })
    session.resize(width: 40, height: 12)
    #expect(session.display("#{window_width}x#{window_height}") == "40x12")
    #expect(session.capture().count == 12)
    let before = try #require(session.sttyBefore)
    #expect(!before.isEmpty)
    #expect(session.sttyAfter == before, "a well-behaved program leaves the terminal as it was")
  }

  /// A frame written in two parts with a pause between (as a busy machine can hold a program
  /// up mid-frame): a wait that matches the first part gives the screen with the second part,
  /// taken after the pause. The six runs start the first part 0, 10, … 50 ms later, across one
  /// 50 ms polling period, so some of them take their first matching capture in the pause:
  /// without the second look those fail.
  @Test(arguments: 0..<6) func aWaitGivesTheFrameWrittenAfterThePartThatMatched(run: Int) throws {
    let start = String(format: "%.2f", 0.2 + 0.01 * Double(run))
    let session = try TmuxSession(
      "sh -c 'sleep \(start); echo head; sleep 0.03; echo tail; sleep 30'", width: 40, height: 5)
    defer { session.close() }
    let screen = try #require(session.waitFor(text: "head"))
    #expect(screen.contains { $0.contains("tail") }, "run \(run): \(screen)")
  }

  @Test func resizeReachesTheRunningProgram() throws {
    let session = try TmuxSession("sh -c 'stty size; read x; stty size; read y'")
    defer { session.close() }
    #expect(session.waitFor(text: "24 80") != nil)
    session.resize(width: 40, height: 12)
    #expect(session.size == (40, 12))
    session.sendKeys("Enter")
    #expect(session.waitFor(text: "12 40") != nil)
    session.sendKeys("Enter")
    #expect(session.waitForExit() == 0)
  }

  @Test func environmentIsSetAndTheTestsOwnIsNotInherited() throws {
    let session = try TmuxSession(
      "sh -c 'echo \"T=$TERM L=$LANG N=${NO_COLOR-unset} X=$EXTRA\"'",
      environment: ["EXTRA": "it's here"])
    defer { session.close() }
    #expect(session.waitForExit() == 0)
    #expect(session.waitFor(text: "T=xterm-256color L=C.UTF-8 N=unset X=it's here") != nil)

    let mono = try TmuxSession(
      "sh -c 'echo \"T=$TERM L=${LANG-unset}\"'", environment: ["TERM": "xterm"],
      unset: ["LANG"])
    defer { mono.close() }
    #expect(mono.waitForExit() == 0)
    #expect(mono.waitFor(text: "T=xterm L=unset") != nil)
  }

  @Test func keyNamesArriveAsTheirBytes() throws {
    // od shows each byte the program reads: Tab 011, BTab ESC [ Z, C-c 003 (no signal: raw).
    let session = try TmuxSession(
      "sh -c 'stty raw -echo; echo raw; dd bs=1 count=8 2>/dev/null | od -An -c; stty sane'")
    defer { session.close() }
    #expect(session.waitFor(text: "raw") != nil)
    session.sendKeys("Tab", "BTab", "C-c", "+", "q", "Space")
    #expect(session.waitForExit() == 0)
    let screen = session.capture().joined(separator: "\n")
    #expect(screen.contains(#"\t 033   [   Z 003   +   q"#), "\(screen)")
  }

  @Test func sttyRecordShowsAProgramThatLeavesTheTerminalChanged() throws {
    let session = try TmuxSession("sh -c 'stty -echo -icanon'")
    defer { session.close() }
    #expect(session.waitForExit() == 0)
    let before = try #require(session.sttyBefore)
    let after = try #require(session.sttyAfter)
    #expect(before != after)
  }

  @Test func signalEndsTheProgramWithStatus128PlusTheSignal() throws {
    let session = try TmuxSession("sleep 30")
    defer { session.close() }
    #expect(session.signal(SIGTERM))
    #expect(session.waitForExit() == 128 + SIGTERM)
    #expect(session.sttyAfter != nil, "the wrapper outlives the program")
  }

  @Test func aFailedWaitRecordsAnIssueThatShowsTheScreen() throws {
    let session = try TmuxSession("sh -c 'echo on screen; sleep 30'", width: 20, height: 3)
    defer { session.close() }
    #expect(session.waitFor(text: "on screen") != nil)
    withKnownIssue {
      #expect(session.waitFor(text: "never shown", timeout: 0.3) == nil)
    } matching: { issue in
      let text = issue.comments.map(\.rawValue).joined()
      return text.contains("\"never shown\"") && text.contains("|on screen|")
        && text.contains("(20x3, dead=0")
    }
    withKnownIssue {
      #expect(session.waitForExit(timeout: 0.2) == nil)
    } matching: { issue in
      issue.comments.map(\.rawValue).joined().contains("|on screen|")
    }
  }

  @Test func closeKillsTheServerAndTheProgram() throws {
    // The program ignores SIGHUP, so closing must fall back to SIGKILL.
    let session = try TmuxSession("sh -c 'trap \"\" HUP; exec sleep 30'")
    let pid = try #require(session.pid)
    let socket = session.socket
    session.close()
    session.close()
    #expect(!TmuxSession.isRunning(pid), "program \(pid) still running")
    let other = Launch.runAndWait(["tmux", "-L", socket, "has-session"])
    #expect(other.status != 0, "server \(socket) still answers")
  }
}
