import Foundation
import SPTestSupport
import Testing

/// The inspection cursor and the range through a real terminal (tmux): Shift-→ and PgUp /
/// PgDn arrive as the cursor's bigger moves, Esc leaves the cursor before it quits, `g` and
/// `<` change the title.
@Suite(.timeLimit(.minutes(2))) struct InspectionEndToEndTests {
  /// The step the readout shows (the line after the header that says "step N" without "/").
  static func readoutStep(_ screen: [String]) -> Int? {
    for line in screen.dropFirst() {
      guard let r = line.range(of: " step ") else { continue }
      let digits = line[r.upperBound...].prefix { $0.isNumber }
      if !digits.isEmpty, line[r.upperBound...].dropFirst(digits.count).first != "/" {
        return Int(digits)
      }
    }
    return nil
  }

  @Test func cursorKeysAndRangeInATerminal() throws {
    let s = try TmuxSession.sptop(
      ["--iterations", "2000", "--pace", "max"], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(timeout: 20, "done") { $0.first?.contains("DONE") == true } != nil)
    s.sendKeys("v")
    let first = try #require(s.waitFor(timeout: 5, "a readout") { Self.readoutStep($0) != nil })
    let k0 = try #require(Self.readoutStep(first))
    s.sendKeys("Right")
    let one = try #require(
      s.waitFor(timeout: 5, "a column on") { (Self.readoutStep($0) ?? 0) > k0 })
    let k1 = try #require(Self.readoutStep(one))
    s.sendKeys("S-Right")
    let tenth = try #require(
      s.waitFor(timeout: 5, "a tenth on") { (Self.readoutStep($0) ?? 0) > k1 })
    let k2 = try #require(Self.readoutStep(tenth))
    #expect(k2 - k1 >= 3 * (k1 - k0), "\(k0) \(k1) \(k2)")
    s.sendKeys("PPage")
    #expect(s.waitFor(timeout: 5, "a tenth back") { (Self.readoutStep($0) ?? .max) < k2 } != nil)
    s.sendKeys("Escape")
    #expect(s.waitFor(timeout: 5, "the cursor left") { Self.readoutStep($0) == nil } != nil)
    #expect(s.exitStatus == nil, "Esc left the cursor, not sptop")
    s.sendKeys("g")
    #expect(s.waitFor(text: "· last 1000 steps ") != nil)
    s.sendKeys("g")
    #expect(s.waitFor(text: "· steps 1000–2000 frozen ") != nil)
    s.sendKeys("<")
    #expect(s.waitFor(text: "· steps 1250–1750 frozen ") != nil)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)
  }

  /// Home and End reach the cursor (its chart's first and last step) however the terminal
  /// sends them: tmux sends ESC [ 1 ~ and ESC [ 4 ~, which TERM=xterm-256color's entry (the
  /// harness's, and many a user's inside tmux) does not name; they read as Esc and quit sptop.
  /// And the cursor follows the tail on its step: it keeps it as steps arrive, then stands at
  /// the left edge and says so.
  @Test func homeAndEndInTmuxAndACursorInAFollowedTail() throws {
    let s = try TmuxSession.sptop(["--iterations", "0", "--pace", "400"], width: 120, height: 40)
    defer { s.close() }
    #expect(s.waitFor(timeout: 20, "running") { $0.first?.contains("RUNNING") == true } != nil)
    s.sendKeys("v")
    #expect(s.waitFor(timeout: 5, "a readout") { Self.readoutStep($0) != nil } != nil)
    s.sendKeys("Home")
    #expect(s.waitFor(timeout: 5, "the first step") { Self.readoutStep($0) == 0 } != nil)
    #expect(s.exitStatus == nil, "Home moved the cursor, not quit sptop")
    s.sendKeys("End")
    #expect(s.waitFor(timeout: 5, "the last step") { (Self.readoutStep($0) ?? 0) > 0 } != nil)
    #expect(s.exitStatus == nil, "End moved the cursor, not quit sptop")
    // Back at step 0, which the tail below has left behind: its readout says "left edge" until
    // End puts the cursor on the tail's last step.
    s.sendKeys("Home")
    #expect(s.waitFor(timeout: 5, "the first step again") { Self.readoutStep($0) == 0 } != nil)
    // The tail: the cursor, put on the last step shown, keeps it while it is in the window
    // (at 400 steps/s, for 2.5 s: polls under load come late).
    s.sendKeys("g")
    #expect(s.waitFor(text: "· last 1000 steps ") != nil)
    s.sendKeys("End")
    let placed = try #require(
      s.waitFor(timeout: 5, "the cursor at the tail's end") { screen in
        guard let k = Self.readoutStep(screen), let now = SoakEndToEndTests.step(screen) else {
          return false
        }
        // Not Home's step 0 still shown (early on, 0 is near the last step too).
        return k > 0 && k > now - 100 && !screen.contains { $0.contains("· left edge") }
      })
    let step = try #require(Self.readoutStep(placed))
    let kept = s.waitFor(timeout: 10, "steps arrive, the cursor keeps its step") { screen in
      (SoakEndToEndTests.step(screen) ?? 0) > step + 100 && Self.readoutStep(screen) == step
    }
    #expect(kept != nil)
    let edge = s.waitFor(timeout: 20, "the step slid out: the left edge, said") { screen in
      (SoakEndToEndTests.step(screen) ?? 0) > step + 1000
        && screen.contains { $0.contains("· left edge") }
    }
    #expect(edge.map { Self.readoutStep($0) ?? 0 } ?? 0 > step)
    s.sendKeys("q")
    #expect(s.waitForExit(timeout: 10) == 0)
  }
}
