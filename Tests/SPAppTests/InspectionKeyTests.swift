import Foundation
import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// The inspection cursor and the big chart's range through the test backend: `v` shows the
/// cursor and its readout, ← / → move it a column, Shift-→ and PgUp / PgDn a tenth, Esc leaves
/// it; `g` cycles whole run, tail and frozen, `<` and `>` narrow and widen; a frozen range stays
/// as new steps arrive; in a replay ← / → move the cursor while it is shown and seek otherwise.
@Suite struct InspectionKeyTests {
  /// The step the readout shows (the header's "step 400/400" is not it), or nil.
  static func readoutStep(_ screen: String) -> Int? {
    for line in screen.split(separator: "\n").dropFirst() {
      guard let r = line.range(of: " step ") else { continue }
      let digits = line[r.upperBound...].prefix { $0.isNumber }
      if !digits.isEmpty, line[r.upperBound...].dropFirst(digits.count).first != "/" {
        return Int(digits)
      }
    }
    return nil
  }

  /// The session step the header shows.
  static func headerStep(_ screen: String) -> Int? { ReplayLoopTests.step(screen) }

  /// The big chart's frozen range as its title says it: "steps A–B frozen".
  static func frozen(_ screen: String) -> String? {
    guard let r = screen.range(of: "steps "), let e = screen[r.lowerBound...].range(of: " frozen")
    else { return nil }
    return String(screen[r.lowerBound..<e.upperBound])
  }

  @Test func theCursorMovesByColumnsAndTenthsAndEscLeavesIt() throws {
    let session = try DashboardLoopTests.session(iterations: 400)
    var steps: [Int] = []
    func note(_ screen: String) -> Bool {
      guard let s = Self.readoutStep(screen) else { return false }
      steps.append(s)
      return true
    }
    var last = 0
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("done") { $0.contains("DONE") },
        .key(.character("v")),
        .until("a readout and the cursor's hints") {
          note($0) && $0.contains("←→ Cursor") && $0.contains("Esc Leave cursor")
        },
        .key(.right), .until("a column right") { Self.readoutStep($0) != steps.last && note($0) },
        .key(.shiftRight),
        .until("a tenth right") { Self.readoutStep($0) != steps.last && note($0) },
        .key(.pageUp), .until("a tenth left") { Self.readoutStep($0) != steps.last && note($0) },
        .key(.end), .until("the end") { Self.readoutStep($0) == 400 },
        .key(.escape),
        .until("left, not quit") {
          last = Self.readoutStep($0) ?? -1
          return Self.readoutStep($0) == nil && $0.contains("DONE") && !$0.contains("Cursor")
        },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(last == -1)
    #expect(loop.state.inspection == nil)
    try #require(steps.count == 4, "\(steps)")
    let column = steps[1] - steps[0]
    #expect(column > 0)
    // A tenth of the chart's columns is several columns.
    #expect(steps[2] - steps[1] >= 3 * column, "\(steps)")
    #expect(steps[3] < steps[2], "\(steps)")
  }

  /// The range's modes on a live run that goes on: the tail follows, its steps halve and
  /// double; frozen keeps its steps while thousands more arrive, and zooms at the cursor.
  @Test func rangeModesAndAFrozenRangeSurvivesNewData() throws {
    let session = try DashboardLoopTests.session()
    var window = ""
    var frozenAt = 0
    var zoomed = ""
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("some steps") { (Self.headerStep($0) ?? 0) > 3000 },
        .key(.character("g")), .until("tail") { $0.contains("· last 1000 steps ") },
        .key(.character("<")), .until("halved") { $0.contains("· last 500 steps ") },
        .key(.character(">")), .key(.character(">")),
        .until("doubled twice") { $0.contains("· last 2000 steps ") },
        .key(.character("g")),
        .until("frozen") {
          guard let f = Self.frozen($0) else { return false }
          window = f
          frozenAt = Self.headerStep($0) ?? 0
          return true
        },
        .until("new data arrived", timeout: 30) { (Self.headerStep($0) ?? 0) > frozenAt + 3000 },
        .until("still frozen") { Self.frozen($0) == window },
        .key(.character("<")),
        .until("zoomed in") {
          guard let f = Self.frozen($0), f != window else { return false }
          zoomed = f
          return true
        },
        .key(.character("g")),
        .until("whole run") { !$0.contains(" frozen ") && !$0.contains("· last ") },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.state.range == .whole)
    #expect(loop.state.tailSteps == 2000)
    // "steps A–B frozen": B − A was 2000 (the tail's) when frozen, then half that.
    func width(_ f: String) -> Int? {
      let parts = f.dropFirst("steps ".count).dropLast(" frozen".count).split(separator: "–")
      guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else { return nil }
      return b - a
    }
    #expect(width(window) == 2000, "\(window)")
    #expect(width(zoomed) == 1000, "\(zoomed)")
  }

  /// A replay: ← / → seek while the cursor is hidden and move it while it is shown.
  @Test func inAReplayTheArrowsMoveTheCursorWhileItIsShown() throws {
    let playback = try ReplayLoopTests.fixture()
    let unit = playback.seekStep
    var first = 0
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("replay") { $0.contains("REPLAY") },
        .key(.character(" ")), .until("paused") { $0.contains("PAUSED") },
        .key(.left), .until("seeks to the start") { Self.headerStep($0) == 0 },
        .key(.right), .until("seeks a unit") { Self.headerStep($0) == unit },
        .key(.character("v")),
        .until("a cursor; the footer says the arrows move it") {
          first = Self.readoutStep($0) ?? -1
          return first >= 0 && $0.contains("←→ Cursor") && !$0.contains("← Back")
        },
        .key(.right), .key(.right),
        .until("the cursor moved, the replay did not") {
          (Self.readoutStep($0) ?? -1) > first && Self.headerStep($0) == unit
        },
        .key(.escape), .until("no cursor") { Self.readoutStep($0) == nil },
        .key(.right), .until("seeks again") { Self.headerStep($0) == 2 * unit },
        .key(.character("q")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    #expect(loop.run() == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
  }

  /// An ensemble's readout: the median and quartiles the session's bands hold at the step.
  @Test func anEnsemblesReadoutIsItsBandsAtTheStep() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 300), publishInterval: 1.0 / 120,
      seeds: [1, 2, 3, 4], threads: 2)
    session.start()
    var screen = ""
    let backend = TestBackend(
      width: 160, height: 44,
      script: [
        .until("done") { $0.contains("DONE") && $0.contains("of 4 seeds") },
        .key(.character("v")), .key(.left),
        .until("readout") {
          screen = $0
          return Self.readoutStep($0) != nil && $0.contains("median a-priori")
        },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let step = try #require(Self.readoutStep(screen))
    let e = try #require(session.snapshot?.models.first?.ensemble)
    func sci(_ h: History) -> String { NumberFormat.sci(h.value(at: step)!, digits: 3) }
    #expect(screen.contains("median a-priori " + sci(e.aprioriBand.median)), "\(screen)")
    #expect(
      screen.contains("q1 \(sci(e.aprioriBand.q1)) q3 \(sci(e.aprioriBand.q3))"), "\(screen)")
    #expect(screen.contains("median loss " + sci(e.lossBand.median)), "\(screen)")
  }

  /// `[keys]` rebinds the cursor and range keys like any action; the help pairs them.
  @Test func theKeysCanBeRebound() throws {
    let map = try KeyMap.standard.rebinding([
      (.inspect, [.character("k")]), (.range, [.character("G")]),
    ])
    var state = DashboardState()
    _ = state.update(with: .character("k"), keyMap: map, modelCount: 3)
    #expect(state.inspection == Inspection(panel: .main))
    _ = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    #expect(state.inspection?.panel == .main)
    _ = state.update(with: .character("G"), keyMap: map, modelCount: 3)
    #expect(state.range == .tail(steps: 1000))
    #expect(map.helpEntries.contains { $0.keys == "k / G" })
    #expect(KeyMap.standard.helpEntries.contains { $0.keys == "v / g" })
    #expect(KeyMap.replay.helpEntries.contains { $0.keys == "< / >" })
    // Esc leaves the cursor first; then it quits.
    #expect(state.update(with: .escape, keyMap: map, modelCount: 3).isEmpty)
    #expect(state.inspection == nil)
    #expect(state.update(with: .escape, keyMap: map, modelCount: 3) == [.quit])
  }

  /// `v` cycles big chart → λ panel → off; views without a chart say so; switching views hides
  /// the cursor; ↑ / ↓ move the waterfall's row within the rows shown.
  @Test func theCursorsPanelsAndViews() {
    var state = DashboardState()
    let map = KeyMap.standard
    _ = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    #expect(state.inspection?.panel == .main)
    _ = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    #expect(state.inspection?.panel == .lambda)
    _ = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    #expect(state.inspection == nil)
    _ = state.update(with: .character("m"), keyMap: map, modelCount: 3)
    let refused = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    #expect(state.inspection == nil)
    #expect(refused.contains { if case .notice = $0 { true } else { false } })
    _ = state.update(with: .character("w"), keyMap: map, modelCount: 3)
    _ = state.update(with: .character("v"), keyMap: map, modelCount: 3)
    let geometry = DashboardGeometry(
      main: ColumnScale(range: -10...10, columns: 50, dotsPerColumn: 1), waterfallRows: 3)
    for _ in 0..<5 { _ = state.update(with: .up, keyMap: map, modelCount: 3, geometry: geometry) }
    #expect(state.inspection?.row == 2)
    _ = state.update(with: .down, keyMap: map, modelCount: 3, geometry: geometry)
    #expect(state.inspection?.row == 1)
    _ = state.update(with: .right, keyMap: map, modelCount: 3, geometry: geometry)
    #expect(state.inspection?.x.map { $0 > 0 } == true)
    _ = state.update(with: .character("w"), keyMap: map, modelCount: 3)
    #expect(state.view == .charts && state.inspection == nil)
  }

  /// A loop can start ranged (a fork from a replay keeps the replay's range and tail).
  @Test func theLoopStartsWithTheRangeGiven() throws {
    let session = try DashboardLoopTests.session(iterations: 300)
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("frozen as given") { $0.contains("DONE") && $0.contains("· steps 0–100 frozen ") },
        .key(.character("g")), .until("whole run") { !$0.contains(" frozen ") },
        .key(.character("g")), .until("the tail given") { $0.contains("· last 50 steps ") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend) {
      $0.range = .frozen(lower: 0, upper: 100)
      $0.tailSteps = 50
    }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
  }
}
