import Foundation
import SPTestSupport
import Testing

/// The terminal changing under the dashboard: a storm of resizes, and Ctrl-Z / `fg` from a shell.
@Suite(.timeLimit(.minutes(2))) struct ResizeSuspendEndToEndTests {
  /// Resizes made by the storm, and the time it may take at most.
  static let stormResizes = 200
  static let stormSeconds = 10.0

  /// 200 resizes between 1×1 and 250×80 in a few seconds: sptop survives, and the paused
  /// screen afterwards is the one it showed before the storm at the same size, cell for cell.
  @Test func resizeStormLeavesTheSameLayout() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession.sptop(in: folder, ["--iterations", "0"], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(text: "RUNNING", timeout: 20) != nil)
    s.sendKeys("Space")
    #expect(s.waitFor(text: "PAUSED") != nil)
    // The paused screens at the two sizes the storm ends on.
    var before: [String: [String]] = [:]
    for (w, h) in [(250, 80), (120, 40)] {
      s.resize(width: w, height: h)
      let screen = s.waitFor(timeout: 5, "a full \(w)×\(h) paused screen") {
        $0.count == h && $0.first?.contains("PAUSED") == true
          && $0.last?.contains("Quit") == true
      }
      usleep(200_000)  // a frame or two more, so nothing is half drawn
      before["\(w)x\(h)"] = s.capture()
      #expect(screen != nil)
    }

    // The storm: random sizes from a fixed seed, both extremes included, about 10 ms apart.
    var random = SplitMix(seed: 8)
    var sizes = (0..<Self.stormResizes - 2).map { _ in
      (1 + Int(random.next() % 250), 1 + Int(random.next() % 80))
    }
    sizes.insert((1, 1), at: sizes.count / 3)
    sizes.insert((250, 80), at: 2 * sizes.count / 3)
    let start = Date()
    for (w, h) in sizes {
      let r = s.tmux(["resize-window", "-t", s.name, "-x", String(w), "-y", String(h)])
      #expect(r.status == 0, "resize-window to \(w)×\(h): \(r.stderr)")
      usleep(10_000)
    }
    let seconds = Date().timeIntervalSince(start)
    #expect(seconds < Self.stormSeconds, "\(sizes.count) resizes took \(seconds) s")
    #expect(s.exitStatus == nil, "sptop survived the storm")

    for (w, h) in [(250, 80), (120, 40)] {
      s.resize(width: w, height: h)
      let expected = maskedClock(before["\(w)x\(h)"] ?? [])
      let after = s.waitFor(timeout: 5, "the \(w)×\(h) paused screen as before the storm") {
        maskedClock($0) == expected
      }
      #expect(after != nil, "\(screenDifference(expected, maskedClock(s.capture())))")
    }
    // Keys still work, and it quits cleanly.
    s.sendKeys("Space")
    #expect(s.waitFor(text: "RUNNING") != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)
    s.expectTerminalRestored("after the storm")
  }

  /// Ctrl-Z from a shell stops all of sptop, training included (README: Reliability); `fg`
  /// brings back the whole screen, the keys work, and the log shows the gap. A second Ctrl-Z
  /// while paused: the screen after `fg` is the one before, cell for cell.
  @Test func suspendAndResumeFromAShell() throws {
    let folder = try TemporaryFolder("fault")
    defer { withExtendedLifetime(folder) {} }
    let s = try TmuxSession(
      "bash --norc --noprofile -i", width: 100, height: 30, environment: ["PS1": "$ "])
    defer { s.close() }
    #expect(s.waitFor(text: "$", timeout: 10) != nil)
    let sptop = TmuxSession.quote(SPTopProcess.binary.path)
    s.sendText(
      "cd \(TmuxSession.quote(folder.path)) && stty -g > before && \(sptop) --iterations 0 "
        + "--log-every 10 --eval-every 1000000 --record log.jsonl; stty -g > after; echo END\n")
    #expect(s.waitFor(text: "● REC", timeout: 20) != nil)
    let running = try #require(s.waitFor(timeout: 10, "training") { (headerStep($0) ?? 0) > 0 })

    // Stopped while training: the shell's screen is back, with its job report.
    s.sendKeys("C-z")
    let stopped = s.waitFor(timeout: 10, "the shell's job report") { screen in
      screen.contains { $0.contains("Stopped") }
    }
    #expect(stopped != nil)
    #expect(s.display("#{alternate_on} #{cursor_flag}") == "0 1", "main screen, cursor shown")
    let pause = 1.5
    usleep(UInt32(pause * 1_000_000))
    s.sendText("fg\n")
    let back = s.waitFor(timeout: 10, "the whole dashboard, training again") {
      ($0.first?.contains("RUNNING") == true) && (headerStep($0) ?? 0) > (headerStep(running) ?? 0)
        && $0.last?.contains("Quit") == true
    }
    #expect(back != nil)

    // Paused, stopped and resumed: the same screen, and the keys still work.
    s.sendKeys("Space")
    #expect(s.waitFor(text: "PAUSED") != nil)
    usleep(200_000)
    let paused = s.capture()
    s.sendKeys("C-z")
    #expect(
      s.waitFor(timeout: 10, "the second job report") { !$0.contains { $0.contains("●") } } != nil)
    s.sendText("fg\n")
    let resumed = s.waitFor(timeout: 10, "the paused screen as before") {
      maskedClock($0) == maskedClock(paused)
    }
    #expect(resumed != nil, "\(screenDifference(paused, s.capture()))")
    let step = headerStep(paused) ?? 0
    s.sendKeys("s")
    #expect(s.waitFor(timeout: 5, "one step") { headerStep($0) == step + 1 } != nil)
    s.sendKeys("q")
    #expect(s.waitFor(text: "END", timeout: 10) != nil)
    let stty = try (
      String(contentsOfFile: folder.file("before"), encoding: .utf8),
      String(contentsOfFile: folder.file("after"), encoding: .utf8)
    )
    #expect(!stty.0.isEmpty && stty.0 == stty.1, "stty -g before and after sptop")
    #expect(s.display("#{alternate_on} #{cursor_flag}") == "0 1")

    // Training stopped with the process: no metric record falls inside the stop, so the
    // longest gap between consecutive records is at least the time it was stopped.
    let metrics = logRecords(folder.file("log.jsonl")).filter {
      $0["type"] as? String == "metric" && $0["index"] as? Int == 0
    }
    let times = metrics.compactMap { $0["elapsed"] as? Double }
    let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
    let longest = gaps.max() ?? 0
    #expect(longest >= pause - 0.1, "longest gap \(longest) s for a \(pause) s stop")
    #expect(times.count > 5)
    s.sendText("exit\n")
    #expect(s.waitForExit(timeout: 5) == 0)
  }
}

/// SplitMix64: a tiny seeded generator, so the storm's sizes are the same on every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
