import SPEngine
import SPTUI
import Testing

@testable import SPDashboard

/// Every key to its command, and commands to their effect on the dashboard state.
@Suite struct KeyMapTests {
  static let table: [(Key, DashboardAction)] = [
    (.character(" "), .togglePause), (.character("s"), .step),
    (.character("a"), .focusNext), (.tab, .focusNext),
    (.character("A"), .focusPrevious), (.backTab, .focusPrevious),
    (.character("+"), .etaUp), (.character("="), .etaUp), (.character("-"), .etaDown),
    (.character("R"), .reset), (.character("l"), .toggleLogScale),
    (.character("?"), .toggleHelp), (.function(1), .toggleHelp),
    (.character("q"), .quit), (.escape, .quit), (.control("c"), .quit),
  ]

  @Test(arguments: table)
  func keyMapsToAction(key: Key, action: DashboardAction) {
    #expect(KeyMap.standard.action(for: key) == action)
  }

  @Test func unboundKeysDoNothing() {
    var s = DashboardState()
    for key: Key in [.character("x"), .character("z"), .character("y"), .up, .enter] {
      #expect(s.handle(key, keyMap: .standard, modelCount: 3).isEmpty)
    }
    #expect(s == DashboardState())
  }

  @Test func keysProduceSessionCommands() {
    var s = DashboardState()
    #expect(s.handle(.character(" "), keyMap: .standard, modelCount: 3) == [.togglePause])
    #expect(s.handle(.character("s"), keyMap: .standard, modelCount: 3) == [.step])
    #expect(s.handle(.character("a"), keyMap: .standard, modelCount: 3) == [.focus(model: 1)])
    #expect(s.focus == 1)
    #expect(
      s.handle(.character("+"), keyMap: .standard, modelCount: 3) == [
        .scaleEta(model: 1, factor: 2)
      ])
    #expect(
      s.handle(.character("-"), keyMap: .standard, modelCount: 3) == [
        .scaleEta(model: 1, factor: 0.5)
      ])
    #expect(s.handle(.character("R"), keyMap: .standard, modelCount: 3) == [.reset(model: 1)])
    _ = s.handle(.tab, keyMap: .standard, modelCount: 3)
    _ = s.handle(.tab, keyMap: .standard, modelCount: 3)
    #expect(s.focus == 0)
    _ = s.handle(.backTab, keyMap: .standard, modelCount: 3)
    #expect(s.focus == 2)
    _ = s.handle(.character("l"), keyMap: .standard, modelCount: 3)
    #expect(!s.logScale)
    #expect(!s.quitRequested)
    _ = s.handle(.character("q"), keyMap: .standard, modelCount: 3)
    #expect(s.quitRequested)
  }

  @Test func recordAndReplayKeysGoToTheLoop() {
    var s = DashboardState()
    #expect(s.handle(.character("r"), keyMap: .standard, modelCount: 3).isEmpty)
    #expect(s.loopRequests == [.record])
    var r = DashboardState()
    for key: Key in [.left, .right, .character("["), .character("]")] {
      _ = r.handle(key, keyMap: .replay, modelCount: 3)
    }
    #expect(r.loopRequests == [.back, .forward, .slower, .faster])
  }

  @Test func footerKeepsHelpAndQuitWhenNarrow() {
    let hints = KeyMap.standard.hints
    let narrow = DashboardView.fitting(hints, width: 40, gap: 2)
    #expect(narrow.suffix(2).map(\.label) == ["Help", "Quit"])
    #expect(narrow.count < hints.count)
    #expect(DashboardView.fitting(hints, width: 500, gap: 2) == hints)
  }

  @Test func escapeClosesHelpBeforeItQuits() {
    var s = DashboardState()
    _ = s.handle(.character("?"), keyMap: .standard, modelCount: 3)
    #expect(s.showHelp)
    _ = s.handle(.escape, keyMap: .standard, modelCount: 3)
    #expect(!s.showHelp && !s.quitRequested)
    _ = s.handle(.escape, keyMap: .standard, modelCount: 3)
    #expect(s.quitRequested)
  }

  @Test func helpListsEveryBoundAction() {
    let entries = KeyMap.standard.helpEntries
    let bound = Set(KeyMap.standard.bindings.values)
    #expect(entries.count == bound.count)
    #expect(bound.contains(.record))
    let replay = KeyMap.replay.helpEntries
    #expect(replay.contains { $0.keys == "←" && $0.description.contains("previous") })
    #expect(replay.contains { $0.keys == "Space" && $0.description.contains("replay") })
    #expect(!replay.contains { $0.description.contains("η") })
    #expect(entries.contains { $0.keys == "a Tab" })
    #expect(entries.contains { $0.keys == "q Esc Ctrl-C" })
    #expect(entries.contains { $0.description.contains("× 2") })
  }
}
