import Foundation
import SPTestSupport
import Testing

/// `verify` of a long log shows progress on a terminal — records checked, steps per second,
/// time left, one line rewritten in place and cleared at the end — and nothing of it when
/// stderr is a file or a pipe. Before, it printed nothing for as long as the session had run.
@Suite(.timeLimit(.minutes(3))) struct ProgressEndToEndTests {
  @Test func verifyShowsProgressOnATerminalOnly() async throws {
    let folder = try TemporaryFolder("progress")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/long.jsonl"
    let made = await ChildProcess.sptop(
      ["run", "--iterations", "20000", "--log-every", "5", "--record", log], interrupt: 60)
    try #require(made.status == 0, "\(made.stderr)")
    // Not a terminal: stdout and stderr exactly as before.
    let plain = await ChildProcess.sptop(["verify", log], interrupt: 90)
    #expect(plain.status == 0)
    #expect(plain.stderr.isEmpty, "\(plain.stderr)")
    #expect(plain.stdout.hasSuffix("are bit for bit identical\n"))
    // A terminal: the line appears while it works, and is gone at the end.
    let inner =
      "\(TmuxSession.quote(SPTopProcess.binary.path)) verify \(TmuxSession.quote(log)); "
      + "echo \"EXIT $?\"; sleep 60"
    let s = try TmuxSession("sh -c \(TmuxSession.quote(inner))", width: 200, height: 10)
    defer { s.close() }
    let during = s.waitFor(text: "records checked", timeout: 60)
    let row = during?.first { $0.contains("records checked") } ?? ""
    #expect(row.contains("steps/s") && row.contains("ETA"), "\(row)")
    let end = s.waitFor(text: "EXIT 0", timeout: 90)
    #expect(end?.contains { $0.contains("bit for bit identical") } == true)
    #expect(end?.contains { $0.contains("records checked") || $0.contains("reading") } == false)
    // replay --summary re-runs the session too, and says how far it is.
    let summaryCommand =
      "\(TmuxSession.quote(SPTopProcess.binary.path)) replay --summary \(TmuxSession.quote(log)); "
      + "echo \"EXIT $?\"; sleep 60"
    let r = try TmuxSession("sh -c \(TmuxSession.quote(summaryCommand))", width: 200, height: 20)
    defer { r.close() }
    let running = r.waitFor(text: "re-running step", timeout: 60)
    #expect(running?.contains { $0.contains("steps/s") && $0.contains("ETA") } == true)
    let done = r.waitFor(text: "EXIT 0", timeout: 90)
    #expect(done?.contains { $0.contains("re-running") } == false)
    let quiet = await ChildProcess.sptop(["replay", "--summary", log], interrupt: 90)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
  }
}
