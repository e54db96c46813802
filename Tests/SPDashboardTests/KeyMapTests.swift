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
    (.character("["), .slower), (.character("]"), .faster), (.character("p"), .paceMax),
    (.character("c"), .switchArchitecture), (.character("i"), .addModel), (.insert, .addModel),
    (.character("x"), .removeModel), (.delete, .removeModel), (.character("e"), .settings),
  ]

  @Test(arguments: table)
  func keyMapsToAction(key: Key, action: DashboardAction) {
    #expect(KeyMap.standard.action(for: key) == action)
  }

  @Test func unboundKeysDoNothing() {
    var s = DashboardState()
    for key: Key in [.character("X"), .character("Z"), .character("y"), .up, .enter] {
      #expect(s.update(with: key, keyMap: .standard, modelCount: 3).isEmpty)
    }
    #expect(s == DashboardState())
  }

  @Test func keysProduceSessionCommands() {
    var s = DashboardState()
    func press(_ key: Key) -> [DashboardEffect] {
      s.update(with: key, keyMap: .standard, modelCount: 3)
    }
    #expect(press(.character(" ")) == [.session(.togglePause)])
    #expect(press(.character("s")) == [.session(.step)])
    #expect(press(.character("a")) == [.session(.focus(model: 1))])
    #expect(s.focus == 1)
    #expect(press(.character("+")) == [.session(.scaleEta(model: 1, factor: 2))])
    #expect(press(.character("-")) == [.session(.scaleEta(model: 1, factor: 0.5))])
    #expect(press(.character("R")) == [.session(.reset(model: 1))])
    _ = press(.tab)
    _ = press(.tab)
    #expect(s.focus == 0)
    _ = press(.backTab)
    #expect(s.focus == 2)
    #expect(press(.character("l")).isEmpty)
    #expect(!s.logScale)
    #expect(!s.quitRequested)
    #expect(press(.character("q")) == [.quit])
    #expect(s.quitRequested)
  }

  @Test func recordThemeAndReplayKeysAreEffectsForTheLoop() {
    var s = DashboardState()
    #expect(s.update(with: .character("r"), keyMap: .standard, modelCount: 3) == [.toggleRecording])
    #expect(s.update(with: .character("t"), keyMap: .standard, modelCount: 3) == [.cycleTheme])
    var r = DashboardState()
    r.replaySpeed = 1
    var effects: [DashboardEffect] = []
    for key: Key in [.left, .right, .character(" "), .character("a")] {
      effects += r.update(with: key, keyMap: .replay, modelCount: 3)
    }
    #expect(effects == [.seek(presses: -1), .seek(presses: 1), .playPause])
    #expect(r.focus == 1)
    _ = r.update(with: .character("["), keyMap: .replay, modelCount: 3)
    #expect(r.replaySpeed == 0.5)
    _ = r.update(with: .character("]"), keyMap: .replay, modelCount: 3)
    _ = r.update(with: .character("]"), keyMap: .replay, modelCount: 3)
    #expect(r.replaySpeed == 2)
  }

  @Test func footerKeepsHelpAndQuitWhenNarrow() {
    let hints = KeyMap.standard.hints
    let narrow = DashboardView.fitting(hints, width: 40, gap: 2)
    #expect(narrow.suffix(2).map(\.label) == ["Help", "Quit"])
    #expect(narrow.count < hints.count)
    #expect(DashboardView.fitting(hints, width: 500, gap: 2) == hints)
  }

  /// The live lab's keys are in the footer by priority: wide, every one; narrow, the most
  /// important first, a shorter later one where a longer does not fit; the replay's fork too.
  @Test func footerListsTheLabsKeysByPriority() {
    let labels = KeyMap.standard.hints.map(\.label)
    for label in ["Switch", "Settings", "Add", "Remove", "Slower", "Faster", "Max", "Reset", "Rec"]
    {
      #expect(labels.contains(label), "\(label) missing from \(labels)")
    }
    #expect(labels.firstIndex(of: "Switch")! < labels.firstIndex(of: "Add")!)
    let at80 = DashboardView.fitting(KeyMap.standard.hints, width: 80, gap: 2).map(\.label)
    #expect(at80.prefix(6) == ["Pause", "Step", "Focus", "η×2", "η÷2", "Switch"])
    #expect(at80.suffix(2) == ["Help", "Quit"])
    let used = DashboardView.fitting(KeyMap.standard.hints, width: 80, gap: 2)
      .map { $0.key.count + 1 + $0.label.count }.reduce(0, +)
    #expect(used + 2 * (at80.count - 1) <= 80)
    let replay = KeyMap.replay.hints.map(\.label)
    #expect(replay.prefix(4) == ["Play", "Back", "Fwd", "Fork"])
    #expect(!replay.contains("Switch") && !labels.contains("Fork"))
  }

  @Test func escapeClosesHelpBeforeItQuits() {
    var s = DashboardState()
    _ = s.update(with: .character("?"), keyMap: .standard, modelCount: 3)
    #expect(s.showHelp)
    _ = s.update(with: .escape, keyMap: .standard, modelCount: 3)
    #expect(!s.showHelp && !s.quitRequested)
    _ = s.update(with: .escape, keyMap: .standard, modelCount: 3)
    #expect(s.quitRequested)
  }

  @Test func helpListsEveryBoundAction() {
    let entries = KeyMap.standard.helpEntries
    let bound = Set(KeyMap.standard.bindings.values)
    // Every bound action has a row; opposite ones share one ("+ = / -").
    #expect(entries.count == bound.count - KeyMap.pairs.count)
    for action in bound {
      let keys = KeyMap.standard.keys(for: action).map(KeyMap.name(of:))
      #expect(
        entries.contains { e in
          keys.allSatisfy { e.keys.split(separator: " ").contains(Substring($0)) }
        },
        "\(action) missing")
    }
    #expect(
      entries.contains {
        $0.keys == "+ = / -" && $0.description == "η of the focused model × / ÷ 2"
      })
    #expect(entries.contains { $0.keys == "[ / ]" })
    #expect(bound.contains(.record))
    let replay = KeyMap.replay.helpEntries
    #expect(replay.contains { $0.keys == "←" && $0.description.contains("previous") })
    #expect(replay.contains { $0.keys == "Space" && $0.description.contains("replay") })
    #expect(!replay.contains { $0.description.contains("η") })
    #expect(entries.contains { $0.keys == "a Tab" })
    #expect(entries.contains { $0.keys == "q Esc Ctrl-C" })
    #expect(entries.contains { $0.keys == "S" && $0.description.contains("seed") })
  }
}
