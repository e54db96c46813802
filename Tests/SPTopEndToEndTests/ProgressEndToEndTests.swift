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
    let s = try TmuxSession.sptopThenExit(["verify", log], width: 200, height: 10)
    defer { s.close() }
    let during = s.waitFor(text: "records checked", timeout: 60)
    let row = during?.first { $0.contains("records checked") } ?? ""
    #expect(row.contains("steps/s") && row.contains("ETA"), "\(row)")
    let end = s.waitFor(text: "EXIT 0", timeout: 90)
    #expect(end?.contains { $0.contains("bit for bit identical") } == true)
    #expect(end?.contains { $0.contains("records checked") || $0.contains("reading") } == false)
    // replay --summary re-runs the session too, and says how far it is.
    let r = try TmuxSession.sptopThenExit(["replay", "--summary", log], width: 200, height: 20)
    defer { r.close() }
    let running = r.waitFor(text: "re-running step", timeout: 60)
    #expect(running?.contains { $0.contains("steps/s") && $0.contains("ETA") } == true)
    let done = r.waitFor(text: "EXIT 0", timeout: 90)
    #expect(done?.contains { $0.contains("re-running") } == false)
    let quiet = await ChildProcess.sptop(["replay", "--summary", log], interrupt: 90)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
  }

  /// A long log's reading shows progress on a terminal (percent, MiB, lines, time left) and is
  /// cleared at the end: in `export --csv`, in `export --svg`, and in `replay`, where it stays
  /// up ("preparing the replay") until the dashboard's first frame. Nothing of it goes into a
  /// pipe or a file. The log: four seeds, every step logged, about 13 MB (some seconds to read
  /// in a debug build; the line shows from half a second in).
  @Test func readingALongLogShowsProgressOnATerminalOnly() async throws {
    let folder = try TemporaryFolder("progress-read")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/long.jsonl"
    let made = await ChildProcess.sptop(
      [
        "run", "--seeds", "1-4", "--iterations", "6000", "--log-every", "1", "--eval-every",
        "1000", "--record", log,
      ], interrupt: 90)
    try #require(made.status == 0, "\(made.stderr)")

    // export, on a terminal: the reading line while it reads, gone when it has written.
    for (flag, out, wrote) in [
      ("--csv", dir + "/out.csv", "wrote"), ("--svg", dir + "/figures", "apriori-error.svg"),
    ] {
      let s = try TmuxSession.sptopThenExit(["export", log, flag, out], width: 200, height: 10)
      defer { s.close() }
      let during = s.waitFor(text: "sptop: reading", timeout: 60)
      let row = during?.first { $0.contains("sptop: reading") } ?? ""
      #expect(
        row.contains("long.jsonl: ") && row.contains("%") && row.contains(" MiB/s)")
          && row.contains(" lines, ") && row.contains("ETA"), "\(flag): \(row)")
      if flag == "--csv" {
        // Then the writing of the ensemble's rows: records, rate, time left.
        let writing = s.waitFor(text: "sptop export: writing", timeout: 60)
        let w = writing?.first { $0.contains("sptop export: writing") } ?? ""
        #expect(
          w.contains(" records, ") && w.contains(" records/s, ") && w.contains("ETA"), "\(w)")
      }
      let end = s.waitFor(text: "EXIT 0", timeout: 90)
      #expect(end?.contains { $0.contains(wrote) } == true, "\(flag): \(end ?? [])")
      #expect(
        end?.contains { $0.contains("reading") || $0.contains("writing") } == false,
        "\(flag): \(end ?? [])")
    }

    // replay: the reading, then "preparing the replay" while the playback is made, then the
    // dashboard, whose first frame shows nothing of them.
    let r = try TmuxSession.sptop(["replay", log], width: 120, height: 40)
    defer { r.close() }
    var sawReading = false
    var sawPreparing = false
    let first = r.waitFor(timeout: 90, "the replay's first frame") { screen in
      if screen.first?.contains("REPLAY") == true { return true }
      sawReading =
        sawReading || screen.contains { $0.contains("sptop: reading ") && $0.contains("%") }
      sawPreparing = sawPreparing || screen.contains { $0.contains("preparing the replay") }
      return false
    }
    #expect(sawReading, "no reading line before the dashboard")
    #expect(sawPreparing, "no 'preparing the replay' before the dashboard")
    #expect(
      first?.contains { $0.contains("reading") || $0.contains("preparing") } == false,
      "\(first ?? [])")
    r.sendKeys("q")
    #expect(r.waitForExit(timeout: 10) == 0)

    // Not a terminal: export's stderr stays empty; the replay on a terminal with stderr to a
    // file writes nothing of it there.
    let piped = await ChildProcess.sptop(
      ["export", log, "--csv", dir + "/piped.csv"], interrupt: 90)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    #expect(piped.stdout == "sptop export: wrote \(dir)/piped.csv\n", "\(piped.stdout)")
    let errors = dir + "/replay-stderr"
    let f = try TmuxSession.sptopThenExit(
      ["replay", log], stderrFile: errors, width: 120, height: 40)
    defer { f.close() }
    #expect(f.waitFor(timeout: 90, "the replay") { $0.first?.contains("REPLAY") == true } != nil)
    f.sendKeys("q")
    #expect(f.waitFor(text: "EXIT 0", timeout: 10) != nil)
    let written = try String(contentsOfFile: errors, encoding: .utf8)
    #expect(written.isEmpty, "\(written)")
  }
}
