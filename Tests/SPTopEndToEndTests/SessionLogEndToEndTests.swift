import Foundation
import SPTestSupport
import Testing

/// Recording, replaying, verifying and exporting through the `sptop` binary.
@Suite(.timeLimit(.minutes(2))) struct SessionLogEndToEndTests {
  @Test func recordKeyInTheDashboardThenVerify() throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let inner =
      "cd \(TmuxSession.quote(dir)) && exec \(TmuxSession.quote(SPTopProcess.binary.path)) "
      + "--iterations 0"
    let s = try TmuxSession("sh -c \(TmuxSession.quote(inner))", width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    s.sendKeys("r")
    let rec = try #require(s.waitFor(text: "● REC"))
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(files.count == 1)
    let name = try #require(files.first)
    #expect(name.hasPrefix("sptop-") && name.hasSuffix(".jsonl"))
    #expect(rec.first?.contains(name) == true)
    s.sendKeys("+")
    s.sendKeys("a")
    s.sendKeys("R")
    usleep(300_000)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    let path = dir + "/" + name
    let verify = try SPTopProcess.run(["verify", path])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("bit for bit identical"))
    #expect(verify.stdout.contains("final parameters"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("\"event\":\"eta\"") && text.contains("\"event\":\"reset\""))
    #expect(text.contains("\"event\":\"focus\"") && text.contains("\"reason\":\"quit\""))
  }

  @Test func runRecordsAndTheLogCommandsUseIt() throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/run.jsonl"
    let run = try SPTopProcess.run(["run", "--iterations", "600", "--record", log])
    #expect(run.status == 0, "\(run.stderr)")
    // Never overwrite without --force.
    let again = try SPTopProcess.run(["run", "--iterations", "10", "--record", log])
    #expect(again.status != 0)
    #expect(
      again.stderr == "sptop: --record \(log): the file exists; add --force to overwrite it\n")
    let missing = try SPTopProcess.run(["run", "--record", dir + "/nope/x.jsonl"])
    #expect(missing.stderr.contains("does not exist") && missing.status != 0)
    // The summary is the run's own table.
    let summary = try SPTopProcess.run(["replay", "--summary", log])
    #expect(summary.status == 0, "\(summary.stderr)")
    func rows(_ s: String) -> [String] {
      s.split(separator: "\n").filter { $0.hasPrefix("vanilla") || $0.hasPrefix("linear") }
        .map { $0.split(separator: " ").dropLast().joined(separator: " ") }
    }
    #expect(rows(summary.stdout) == rows(run.stdout))
    #expect(!rows(run.stdout).isEmpty)
    let verify = try SPTopProcess.run(["verify", log])
    #expect(verify.status == 0, "\(verify.stderr)")
    let export = try SPTopProcess.run([
      "export", log, "--csv", dir + "/out.csv", "--svg", dir + "/fig",
    ])
    #expect(export.status == 0, "\(export.stderr)")
    let csv = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
    #expect(csv.hasPrefix("model,architecture,index,step"))
    #expect(FileManager.default.fileExists(atPath: dir + "/fig/apriori-error.svg"))
    #expect(FileManager.default.fileExists(atPath: dir + "/fig/homogeneity.svg"))
    let twice = try SPTopProcess.run(["export", log, "--csv", dir + "/out.csv"])
    #expect(twice.status != 0 && twice.stderr.contains("--force"))
  }

  @Test func killNineLeavesAUsableLog() throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/killed.jsonl"
    let s = try TmuxSession(
      "\(TmuxSession.quote(SPTopProcess.binary.path)) --iterations 0 --log-every 50 "
        + "--record \(TmuxSession.quote(log))", width: 100, height: 30)
    defer { s.close() }
    #expect(s.waitFor(text: "● REC", timeout: 10) != nil)
    usleep(UInt32.random(in: 1_200_000...2_000_000))
    #expect(s.signal(SIGKILL))
    _ = s.waitForExit(timeout: 5)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.split(separator: "\n").count > 10, "at least a second of records was flushed")
    let summary = try SPTopProcess.run(["replay", "--summary", log])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stdout.contains("vanilla"))
    let verify = try SPTopProcess.run(["verify", log])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("no end record"))
  }

  @Test func badLogsGiveOneLine() throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let path = dir + "/bad.jsonl"
    try "{\"type\":\"metric\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
    for command in [
      ["verify", path], ["replay", "--summary", path], ["export", path, "--csv", dir + "/x.csv"],
    ] {
      let r = try SPTopProcess.run(command)
      #expect(r.status == 1)
      #expect(r.stderr == "sptop: \(path):1: the first record must be the header, not 'metric'\n")
    }
    let none = try SPTopProcess.run(["verify", dir + "/none.jsonl"])
    #expect(none.stderr == "sptop: \(dir)/none.jsonl: no such file\n")
  }

  @Test func replayPlaysStepsAndChangesSpeed() throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/replay.jsonl"
    let run = try SPTopProcess.run(["run", "--iterations", "3000", "--record", log])
    #expect(run.status == 0)
    let s = try TmuxSession.sptop(["replay", log], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "REPLAY", timeout: 10) != nil)
    #expect(s.waitFor(text: "DONE", timeout: 10) != nil, "a short log plays to its end")
    s.sendKeys("Left")
    #expect(s.waitFor { $0.first?.contains("PAUSED") == true } != nil)
    s.sendKeys("]", "]")
    #expect(s.waitFor { $0.first?.contains("×4") == true } != nil)
    s.sendKeys("[")
    #expect(s.waitFor { $0.first?.contains("×2") == true } != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    #expect(s.sttyAfter == s.sttyBefore)
  }

  /// `f` in a replay forks a live session at the step shown; `r` records it, and the log names
  /// its parent and verifies through it. An ensemble's replay forks every seed.
  @Test(arguments: [[], ["--seeds", "1-8"]])
  func replaysForkKeyStartsALiveSessionThatRecordsAndVerifies(seeds: [String]) throws {
    let folder = try TemporaryFolder("e2e")
    defer { withExtendedLifetime(folder) {} }
    let dir = folder.path
    let log = dir + "/parent.jsonl"
    let run = try SPTopProcess.run(["run", "--iterations", "3000", "--record", log] + seeds)
    #expect(run.status == 0)
    // In the log's folder: `r` records there.
    let command =
      "cd \(TmuxSession.quote(dir)) && exec "
      + [SPTopProcess.binary.path, "replay", log, "--pace", "100"].map(TmuxSession.quote)
      .joined(separator: " ")
    let s = try TmuxSession("sh -c \(TmuxSession.quote(command))", width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "DONE", timeout: 10) != nil)
    for _ in 0..<10 { s.sendKeys("Left") }
    #expect(s.waitFor { $0.first?.contains("step 2700/3000") == true } != nil)
    s.sendKeys("f")
    // The whole first frame of the fork: a capture can land while ncurses is still writing it,
    // header first.
    let title = "median a-priori error and loss of 8 seeds"
    let forked = s.waitFor(timeout: 20, "the fork's dashboard") { screen in
      screen.first?.contains("fork of parent.jsonl@2700") == true
        && (seeds.isEmpty || screen.contains { $0.contains(title) })
    }
    #expect(forked?.first?.contains("RUNNING") == true, "\(forked ?? [])")
    if !seeds.isEmpty {
      // Every seed forked: the header names them, the big chart their median.
      #expect(forked?.first?.contains("seeds 1-8") == true, "\(forked ?? [])")
      #expect(forked?.contains { $0.contains(title) } == true)
    }
    s.sendKeys("r")
    #expect(s.waitFor(text: "● REC", timeout: 5) != nil)
    #expect(s.waitFor(text: "DONE", timeout: 20) != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    #expect(s.sttyAfter == s.sttyBefore)
    let recorded = try FileManager.default.contentsOfDirectory(atPath: dir)
      .filter { $0.hasPrefix("sptop-") && $0.hasSuffix(".jsonl") }
    #expect(recorded.count == 1, "\(recorded)")
    guard let name = recorded.first else { return }
    let v = try SPTopProcess.run(["verify", dir + "/" + name])
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains("re-runs to the fork's step 2700 bit for bit"), "\(v.stdout)")
    #expect(seeds.isEmpty || v.stdout.contains(": 8 seeds: "), "\(v.stdout)")
  }
}
