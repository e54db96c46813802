import Foundation
import SPTestSupport
import Testing

/// The dashboard driven through tmux as a person would: keys in, the screen read back.
@Suite(.timeLimit(.minutes(2))) struct DashboardEndToEndTests {
  /// The number after "step " in the header.
  static func step(_ screen: [String]) -> Int? {
    guard let header = screen.first, let r = header.range(of: "step ") else { return nil }
    return Int(header[r.upperBound...].prefix { $0.isNumber })
  }

  /// The η shown on the row of model `label`.
  static func eta(_ screen: [String], _ label: String) -> String? {
    guard let row = screen.first(where: { $0.contains(" \(label) ") && $0.contains("e-0") }) else {
      return nil
    }
    let fields = row.split(separator: " ")
    guard let i = fields.firstIndex(where: { $0 == label }), i + 1 < fields.count else {
      return nil
    }
    return String(fields[i + 1])
  }

  @Test func panesTrainPauseEtaFocusResizeAndQuit() throws {
    let s = try TmuxSession.sptop(["--iterations", "0"], width: 120, height: 40)
    defer { s.close() }
    // The whole first frame: RUNNING in the header and the footer drawn (under load a capture
    // can land between the two).
    let first = try #require(
      s.waitFor(timeout: 10, "the first whole frame") {
        $0.first?.contains("RUNNING") == true && $0.last?.contains("q Quit") == true
      })
    for label in [
      "models", "vanilla", "penalized", "linear", "a-priori error and loss",
      "homogeneity error over λ", "Spc Pause", "q Quit", "LOG",
    ] {
      #expect(first.contains { $0.contains(label) }, "\(label) is on the screen")
    }
    // The iteration count advances.
    let k0 = try #require(Self.step(first))
    let later = try #require(s.waitFor(timeout: 5) { (Self.step($0) ?? 0) > k0 + 100 })
    #expect(Self.step(later)! > k0)

    // Space pauses: PAUSED shows and the count stops.
    s.sendKeys("Space")
    let paused = try #require(s.waitFor(text: "PAUSED"))
    usleep(300_000)
    let stillPaused = s.capture()
    #expect(Self.step(stillPaused) == Self.step(s.waitFor(text: "PAUSED") ?? paused))

    // s steps once while paused.
    let before = try #require(Self.step(stillPaused))
    s.sendKeys("s")
    #expect(s.waitFor { Self.step($0) == before + 1 } != nil)

    // + doubles η of the model in focus (vanilla), and only of it.
    #expect(Self.eta(stillPaused, "vanilla") == "1.00e-03")
    s.sendKeys("+")
    #expect(s.waitFor { Self.eta($0, "vanilla") == "2.00e-03" } != nil)
    #expect(Self.eta(s.capture(), "penalized") == "1.00e-03")

    // a moves the focus: the marker and the big chart follow.
    s.sendKeys("a")
    let focused = s.waitFor { $0.contains { $0.contains("▶ penalized") } }
    #expect(focused?.contains { $0.contains("penalized · a-priori error and loss") } == true)
    s.sendKeys("-")
    #expect(s.waitFor { Self.eta($0, "penalized") == "5.00e-04" } != nil)

    // l switches both charts to a linear axis.
    s.sendKeys("l")
    #expect(s.waitFor { $0.contains { $0.contains(" LIN ") } } != nil)

    // ? opens help listing every key, Esc closes it.
    s.sendKeys("?")
    #expect(s.waitFor { $0.contains { $0.contains("sptop keys") } } != nil)
    s.sendKeys("Escape")
    #expect(s.waitFor { !$0.contains { $0.contains("sptop keys") } } != nil)

    // Resize down: the too-small message; back up: the same dashboard, no garbage.
    let full = s.capture()
    s.resize(width: 40, height: 12)
    #expect(s.waitFor(text: "this terminal is 40×12") != nil)
    s.resize(width: 120, height: 40)
    // Paused: everything but the clock is identical to before the resize (once it is drawn).
    func masked(_ lines: [String]) -> [String] {
      lines.map {
        $0.replacingOccurrences(
          of: #"\d\d:\d\d:\d\d"#, with: "hh:mm:ss", options: .regularExpression)
      }
    }
    let restored = s.waitFor(timeout: 5, "the paused screen as before") {
      masked($0) == masked(full)
    }
    #expect(restored?.count == 40)

    // m shows the structure matrix, w the waterfall, o the rollout notice; again: the charts.
    s.sendKeys("m")
    #expect(s.waitFor { $0.contains { $0.contains("structure matrix") } } != nil)
    s.sendKeys("w")
    #expect(s.waitFor { $0.contains { $0.contains("homogeneity error over λ and steps") } } != nil)
    s.sendKeys("o")
    #expect(s.waitFor { $0.contains { $0.contains("computed for the skew target") } } != nil)
    s.sendKeys("o")
    #expect(s.waitFor { $0.contains { $0.contains("a-priori error and loss") } } != nil)

    // q quits with status 0 and the terminal as it was.
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    #expect(s.sttyAfter == s.sttyBefore)
  }

  /// The default pace: the seed's 5000 steps unfold at 500 steps/s (`--pace auto`, the
  /// default, named here because the harness runs other tests unpaced); `p` goes unthrottled.
  @Test func theDefaultLaunchUnfoldsAtItsPace() throws {
    let s = try TmuxSession.sptop(["--pace", "auto"], width: 120, height: 40)
    defer { s.close() }
    _ = try #require(s.waitFor { $0.first?.contains("pace 500/s") == true })
    // RUNNING, and the step advances at the pace (not faster): 1.5 s is at most about 750
    // steps (a sanitizer build may be slower; never faster).
    func step() -> (Int, String) {
      let header = s.capture().first ?? ""
      return (header.firstMatch(of: /step (\d+)\/5000/).flatMap { Int($0.1) } ?? -1, header)
    }
    let (a, first) = step()
    usleep(1_500_000)
    let (b, second) = step()
    #expect(first.contains("RUNNING") && second.contains("RUNNING"), "\(first)\n\(second)")
    #expect(b > a && b - a <= 1000 && b < 5000, "\(first)\n\(second)")
    s.sendKeys("p")
    let done = try #require(s.waitFor(text: "DONE", timeout: 30))
    #expect(done.first?.contains("pace max") == true && done.first?.contains("5000/5000") == true)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
  }

  /// `c` on vanilla, four rows down to biasfree, Enter: the model takes the new name, its chart
  /// a labelled marker at the switch.
  @Test func aSwitchFromVanillaToBiasfreeShowsTheNewNameAndAMarker() throws {
    let s = try TmuxSession.sptop(
      ["--iterations", "0", "--pace", "2000"], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    s.sendKeys("c")
    #expect(s.waitFor(text: "replace vanilla by", timeout: 5) != nil)
    s.sendKeys("Down", "Down", "Down", "Down", "Enter")
    let switched = s.waitFor { screen in
      screen.contains { $0.contains("▶ biasfree") } && screen.contains { $0.contains("→ biasfree") }
    }
    #expect(switched != nil, "\(s.capture().joined(separator: "\n"))")
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
  }

  /// `e`, the session's rows: n 8 and target skew, Enter, the question, y: the header says n 8,
  /// every chart a labelled marker, and the recorded log verifies.
  @Test func aNewTargetAndNRestartEveryModelAndTheLogVerifies() throws {
    let folder = try TemporaryFolder("e2e-problem")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("problem.jsonl")
    let s = try TmuxSession.sptop(
      ["--iterations", "0", "--pace", "2000", "--record", path], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    s.sendKeys("e")
    #expect(s.waitFor(text: "session (every model restarts):", timeout: 5) != nil)
    // Up from optimizer: apply to, then n; three → to 8, up to target, → to skew.
    s.sendKeys("Up", "Up", "Right", "Right", "Right", "Up", "Right", "Enter")
    let asked = s.waitFor(text: "restart every model with target skew, n 8?", timeout: 5)
    #expect(asked != nil, "\(s.capture().joined(separator: "\n"))")
    s.sendKeys("y")
    let restarted = s.waitFor { screen in
      screen.first?.contains("n 8") == true && screen.contains { $0.contains("target skew, n 8") }
    }
    #expect(restarted != nil, "\(s.capture().joined(separator: "\n"))")
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    let verify = try SPTopProcess.run(["verify", path])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("bit for bit identical"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains(#""command":{"setProblem":{"n":8,"target":"skew"}},"#))
  }

  /// `sptop --seeds 1-6 --record`: the header names the seeds, the rows show medians with
  /// quartiles, the big chart medians over a shaded band, `m` the matrix's median/worst; the
  /// run ends DONE, quits cleanly, and its log verifies seed by seed.
  @Test func anEnsembleShowsMediansBandsAndTheWorstSeed() throws {
    let folder = try TemporaryFolder("e2e-ensemble")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("ensemble.jsonl")
    let s = try TmuxSession.sptop(
      ["--seeds", "1-6", "--iterations", "1500", "--pace", "max", "--record", path], width: 160,
      height: 44)
    defer { s.close() }
    let done = s.waitFor(timeout: 30, "the ensemble DONE") { screen in
      screen.first?.contains("DONE") == true && screen.first?.contains("seeds 1-6") == true
    }
    #expect(done != nil)
    let screen = s.capture()
    #expect(
      screen.contains { $0.contains("vanilla") && $0.contains("[") && $0.contains("]") },
      "\(screen.joined(separator: "\n"))")
    #expect(screen.contains { $0.contains("median a-priori error and loss of 6 seeds") })
    #expect(screen.contains { $0.contains("░") }, "a shaded band")
    s.sendKeys("m")
    #expect(s.waitFor(text: "6 seeds: median/worst", timeout: 5) != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
    #expect(s.sttyAfter == s.sttyBefore)
    let v = try SPTopProcess.run(["verify", path])
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains(": 6 seeds: "), "\(v.stdout)")
  }

  @Test func runsToDoneAndKeepsTheCurves() throws {
    let s = try TmuxSession.sptop(["--iterations", "300"], width: 100, height: 30)
    defer { s.close() }
    let done = try #require(s.waitFor(text: "DONE", timeout: 10))
    #expect(done.first?.contains("step 300/300") == true)
    usleep(200_000)
    #expect(s.capture().first?.contains("DONE") == true)
    s.sendKeys("C-c")
    #expect(s.waitForExit(timeout: 5) == 0)
    #expect(s.sttyAfter == s.sttyBefore)
  }

  @Test(arguments: [(15, "SIGTERM"), (1, "SIGHUP")])
  func signalsRestoreTheTerminal(signal: Int32, name: String) throws {
    let s = try TmuxSession.sptop(["--iterations", "0"], width: 80, height: 24)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 10) != nil)
    #expect(s.signal(signal), "\(name) delivered")
    #expect(s.waitForExit(timeout: 5) == 128 + signal)
    #expect(s.sttyAfter == s.sttyBefore)
  }

  @Test func asciiGlyphsOutsideUTF8() throws {
    let s = try TmuxSession.sptop(
      ["--iterations", "0"], width: 80, height: 24, environment: ["LANG": "C", "LC_ALL": "C"])
    defer { s.close() }
    let screen = try #require(s.waitFor(text: "RUNNING", timeout: 10))
    #expect(screen.contains { $0.contains("homogeneity vs lambda") })
    #expect(screen.contains { $0.contains(" eta loss ") })
    #expect(screen.joined().unicodeScalars.allSatisfy { $0.isASCII })
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 5) == 0)
  }

  @Test func notATerminalSaysSoAndPointsToRun() throws {
    // Standard input is a pipe here, standard output another.
    let r = try SPTopProcess.run(["--iterations", "10"])
    #expect(r.status == 1)
    #expect(r.stderr == "sptop: stdin is not a terminal; use `sptop run` for headless training\n")
    #expect(r.stdout.isEmpty)
  }
}
