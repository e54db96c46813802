import Foundation
import SPTestSupport
import Testing

/// Training that blows up on purpose, and a recording to a full disk: sptop says so in words,
/// writes null with a status instead of NaN or Inf, and everything else goes on.
@Suite(.timeLimit(.minutes(2))) struct DivergenceDiskEndToEndTests {
  /// The case (η = 10, n = 50, randn): every model of the default lineup diverges.
  static let blowUp = ["--eta", "10", "--n", "50", "--init", "randn"]
  /// η = 0.1, n = 5: penalized diverges (at iteration 191), vanilla and linear train on.
  static let oneOfThree = ["--eta", "0.1", "--n", "5"]

  @Test func divergedModelsAreMarkedAndNoNonFiniteTextIsShownOrLogged() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("diverged.jsonl")
    let s = try TmuxSession.sptop(
      in: folder, Self.blowUp + ["--iterations", "0", "--log-every", "1", "--record", log],
      width: 160, height: 45)
    defer { s.close() }
    let screen = s.waitFor(timeout: 20, "three models DIVERGED") { screen in
      screen.filter { $0.contains("DIVERGED") }.count == 3 && screen.first?.contains("DONE") == true
    }
    #expect(screen != nil)
    // Every view: the charts, the structure matrix, the waterfall, help.
    var views = [screen ?? []]
    for (key, title) in [
      ("m", "structure matrix"), ("w", "homogeneity error over λ and steps"), ("?", "sptop keys"),
    ] {
      s.sendKeys(key)
      views.append(s.waitFor(text: title) ?? [])
      s.sendKeys(key == "?" ? "Escape" : key)
    }
    for view in views {
      #expect(nonFiniteText(view).isEmpty, "non-finite text on screen:\n\(s.report(view))")
    }
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)

    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(nonFiniteText(text.components(separatedBy: "\n")).isEmpty)
    let records = logRecords(log)
    #expect(records.count > 10)
    let end = try #require(records.last)
    // Every model diverged, so the session was DONE when q ended it.
    #expect(end["type"] as? String == "end" && end["reason"] as? String == "done")
    let models = end["models"] as? [[String: Any]] ?? []
    #expect(models.map { $0["status"] as? String } == ["diverged", "diverged", "diverged"])
    #expect(models.first?["apriori_error"] is NSNull, "vanilla's a-priori error is null")

    // The log's summary says it in words too.
    let summary = try SPTopProcess.run(["replay", "--summary", log])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(nonFiniteText(summary.stdout.components(separatedBy: "\n")).isEmpty)
    #expect(summary.stdout.components(separatedBy: "diverged").count == 4)
  }

  @Test func oneModelDivergesAndTheOthersTrainOn() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("one.jsonl")
    let s = try TmuxSession.sptop(
      in: folder, Self.oneOfThree + ["--iterations", "0", "--record", log], width: 120,
      height: 40)
    defer { s.close() }
    let first = try #require(
      s.waitFor(timeout: 20, "penalized DIVERGED") { screen in
        screen.contains { $0.contains("penalized") && $0.contains("DIVERGED") }
      })
    #expect(first.first?.contains("RUNNING") == true)
    #expect(first.filter { $0.contains("DIVERGED") }.count == 1)
    let step = headerStep(first) ?? 0
    let later = s.waitFor(timeout: 10, "training going on") { (headerStep($0) ?? 0) > step + 1000 }
    #expect(later?.filter { $0.contains("DIVERGED") }.count == 1)
    #expect(nonFiniteText(later ?? []).isEmpty)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)
    let records = logRecords(log)
    let models = records.last?["models"] as? [[String: Any]] ?? []
    #expect(models.map { $0["status"] as? String } == ["training", "diverged", "training"])
    let iterations = models.compactMap { $0["iteration"] as? Int }
    #expect(iterations.count == 3 && iterations[1] < 1000 && iterations[0] > iterations[1] + 1000)
  }

  @Test(arguments: [blowUp, oneOfThree])
  func runJSONHasNullsAndStatusesNeverNaN(_ arguments: [String]) throws {
    let r = try SPTopProcess.run(["run", "--json", "--iterations", "2000"] + arguments)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(nonFiniteText([r.stdout]).isEmpty, "no NaN or Infinity in the JSON")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let models = try #require(object?["models"] as? [[String: Any]])
    let statuses = models.map { $0["status"] as? String }
    let iterations = models.map { $0["iterations"] as? Int ?? -1 }
    if arguments == Self.blowUp {
      #expect(statuses == ["diverged", "diverged", "diverged"])
      let final = models.first?["final"] as? [String: Any]
      #expect(final?["apriori_error"] is NSNull, "vanilla's a-priori error is null")
    } else {
      #expect(statuses == ["done", "diverged", "done"])
      #expect(iterations[0] == 2000 && iterations[2] == 2000 && iterations[1] < 2000)
    }
    let table = try SPTopProcess.run(["run", "--iterations", "2000"] + arguments)
    #expect(table.status == 0)
    #expect(nonFiniteText(table.stdout.components(separatedBy: "\n")).isEmpty)
    #expect(table.stdout.contains("diverged"))
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
  func fullDiskStopsTheRecordingNotTheDashboard() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession.sptop(
      in: folder, ["--iterations", "0", "--record", "/dev/full", "--force"], width: 100,
      height: 30)
    defer { s.close() }
    let message = "recording to /dev/full stopped: No space left on device"
    let failed = try #require(
      s.waitFor(timeout: 20, "the message in the footer") { $0.last?.contains(message) == true })
    #expect(failed.first?.contains("● REC") == false, "the header no longer says REC")
    let step = headerStep(failed) ?? 0
    #expect(
      s.waitFor(timeout: 10, "training going on") { (headerStep($0) ?? 0) > step + 100 } != nil)
    s.sendKeys("Space")
    #expect(s.waitFor(text: "PAUSED") != nil, "keys still work")
    #expect(s.capture().last?.contains(message) == true, "the message stays")
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0, "quitting the dashboard is still status 0")
    s.expectTerminalRestored("after a full disk")
  }

  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")), arguments: [false, true])
  func fullDiskRunPrintsItsResultAndExitsWith3(json: Bool) throws {
    let r = try SPTopProcess.run(
      ["run", "--iterations", "500", "--record", "/dev/full", "--force"] + (json ? ["--json"] : []))
    #expect(r.status == 3)
    #expect(r.stderr.hasSuffix("sptop: recording to /dev/full stopped: No space left on device\n"))
    if json {
      let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      #expect(object?["steps"] as? Int == 500)
    } else {
      #expect(r.stdout.contains("vanilla") && r.stdout.contains("linear"))
      #expect(r.stdout.contains("structure:"))
    }
  }
}
