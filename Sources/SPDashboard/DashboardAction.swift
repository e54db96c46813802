import SPTUI

/// Everything a key can do in the dashboard.
public enum DashboardAction: String, CaseIterable, Sendable, Hashable {
  case togglePause = "pause"
  case step
  case focusNext = "focus-next"
  case focusPrevious = "focus-previous"
  case etaUp = "eta-up"
  case etaDown = "eta-down"
  case reset
  case switchArchitecture = "switch-architecture"
  case addModel = "add-model"
  case removeModel = "remove-model"
  case settings
  case toggleLogScale = "log-scale"
  case smoothing
  case inspect
  case range
  case narrower
  case wider
  case toggleHelp = "help"
  case cycleTheme = "theme"
  case record
  case exportView = "export"
  case structureMatrix = "structure-matrix"
  case waterfall
  case rollout
  case back
  case forward
  case slower
  case faster
  case paceMax = "pace-max"
  case fork
  case traces
  case quit

  /// What the help overlay says the action does.
  public var summary: String {
    switch self {
    case .togglePause: "pause / resume all training"
    case .step: "one step while paused"
    case .focusNext: "focus the next model (big chart and λ panel follow)"
    case .focusPrevious: "focus the previous model"
    case .etaUp: "η of the focused model × \(KeyMap.etaFactorText)"
    case .etaDown: "η of the focused model ÷ \(KeyMap.etaFactorText)"
    case .reset: "reset the focused model to fresh parameters"
    case .switchArchitecture: "replace the focused model by another architecture (a picker)"
    case .addModel: "add a model (a picker)"
    case .removeModel: "remove the focused model (never the last)"
    case .settings: "settings: optimizer, batch, penalty, width, init; target, n"
    case .toggleLogScale: "logarithmic / linear y axis"
    case .smoothing: "smooth the big chart: off, 0.6, 0.9, 0.99 (raw faint behind)"
    case .inspect: "cursor: big chart, λ panel, off (← → Shift PgUp PgDn Esc)"
    case .range: "big chart's steps: whole run, last N, frozen"
    case .narrower: "fewer steps: tail's N ÷ 2, or zoom in at the cursor"
    case .wider: "more steps: tail's N × 2, or zoom out"
    case .toggleHelp: "this help"
    case .cycleTheme: "next colour theme"
    case .record: "start / stop recording the session to a log"
    case .exportView: "export the big chart and the λ panel as on screen to an SVG file"
    case .structureMatrix: "structure matrix: architectures × properties (again: charts)"
    case .waterfall: "waterfall: homogeneity error over λ and steps (again: charts)"
    case .rollout: "energy rollout of dx/dt = N(x), skew target (again: charts)"
    case .back: "replay: seek to the previous unit (cursor shown: moves it)"
    case .forward: "replay: seek to the next unit (cursor shown: moves it)"
    case .slower: "half the pace: session steps per second (replay: its speed)"
    case .faster: "double the pace (replay: its speed)"
    case .paceMax: "as fast as possible / back to the last pace"
    case .fork: "replay: fork a live session from the step shown"
    case .traces: "ensemble: every seed's curve, faint, behind the median"
    case .quit: "quit"
    }
  }

  /// The footer's short label.
  public var hint: String {
    switch self {
    case .togglePause: "Pause"
    case .step: "Step"
    case .focusNext: "Focus"
    case .focusPrevious: "Back"
    case .etaUp: "η×\(KeyMap.etaFactorText)"
    case .etaDown: "η÷\(KeyMap.etaFactorText)"
    case .reset: "Reset"
    case .switchArchitecture: "Switch"
    case .addModel: "Add"
    case .removeModel: "Remove"
    case .settings: "Settings"
    case .toggleLogScale: "Log/Lin"
    case .smoothing: "Smooth"
    case .inspect: "Cursor"
    case .range: "Range"
    case .narrower: "Zoom+"
    case .wider: "Zoom-"
    case .toggleHelp: "Help"
    case .cycleTheme: "Theme"
    case .record: "Rec"
    case .exportView: "Export"
    case .structureMatrix: "Matrix"
    case .waterfall: "Waterfall"
    case .rollout: "Rollout"
    case .back: "Back"
    case .forward: "Fwd"
    case .slower: "Slower"
    case .faster: "Faster"
    case .paceMax: "Max"
    case .fork: "Fork"
    case .traces: "Seeds"
    case .quit: "Quit"
    }
  }
}

/// Keys to actions; the help overlay and footer are generated from it.
public struct KeyMap: Sendable, Hashable {
  /// The factor `+` and `-` multiply and divide η by.
  public static let etaFactor = 2.0
  static let etaFactorText = "2"

  public private(set) var bindings: [Key: DashboardAction]
  /// A replay's key map: Space plays and pauses the replay rather than training.
  public var isReplay = false

  public init(bindings: [Key: DashboardAction], isReplay: Bool = false) {
    self.bindings = bindings
    self.isReplay = isReplay
  }

  public static let standard = KeyMap(bindings: [
    .character(" "): .togglePause,
    .character("s"): .step,
    .character("a"): .focusNext, .tab: .focusNext,
    .character("A"): .focusPrevious, .backTab: .focusPrevious,
    .character("+"): .etaUp, .character("="): .etaUp,
    .character("-"): .etaDown,
    .character("R"): .reset,
    .character("c"): .switchArchitecture, .character("i"): .addModel, .insert: .addModel,
    .character("x"): .removeModel, .delete: .removeModel, .character("e"): .settings,
    .character("r"): .record, .character("E"): .exportView,
    .character("m"): .structureMatrix, .character("w"): .waterfall, .character("o"): .rollout,
    .character("l"): .toggleLogScale, .character("z"): .smoothing,
    .character("v"): .inspect, .character("g"): .range,
    .character("<"): .narrower, .character(">"): .wider,
    .character("?"): .toggleHelp, .function(1): .toggleHelp,
    .character("t"): .cycleTheme,
    .character("["): .slower, .character("]"): .faster, .character("p"): .paceMax,
    .character("S"): .traces,
    .character("q"): .quit, .escape: .quit, .control("c"): .quit,
  ])

  /// The keys of `sptop replay`: the same look, playback instead of training.
  public static let replay = KeyMap(
    bindings: [
      .character(" "): .togglePause,
      .left: .back, .right: .forward,
      .character("["): .slower, .character("]"): .faster,
      .character("a"): .focusNext, .tab: .focusNext,
      .character("A"): .focusPrevious, .backTab: .focusPrevious,
      .character("l"): .toggleLogScale, .character("z"): .smoothing,
      .character("v"): .inspect, .character("g"): .range,
      .character("<"): .narrower, .character(">"): .wider,
      .character("m"): .structureMatrix, .character("w"): .waterfall,
      .character("f"): .fork, .character("E"): .exportView,
      .character("?"): .toggleHelp, .function(1): .toggleHelp,
      .character("q"): .quit, .escape: .quit, .control("c"): .quit,
    ], isReplay: true)

  public func action(for key: Key) -> DashboardAction? { bindings[key] }

  /// Keys bound to `action`, in a stable order (characters first).
  public func keys(for action: DashboardAction) -> [Key] {
    bindings.filter { $0.value == action }.map(\.key).sorted { KeyMap.order($0) < KeyMap.order($1) }
  }

  /// How a key is written for people: "Space", "Tab", "Shift-Tab", "Esc", "Ctrl-C", "F1", "a".
  public static func name(of key: Key) -> String {
    switch key {
    case .character(" "): "Space"
    case .character(let c): String(c)
    case .control(let c): "Ctrl-" + c.uppercased()
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .shiftLeft: "Shift-←"
    case .shiftRight: "Shift-→"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .enter: "Enter"
    case .escape: "Esc"
    case .backspace: "Backspace"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .insert: "Ins"
    case .delete: "Del"
    case .function(let n): "F\(n)"
    case .resize: "resize"
    }
  }

  private static func order(_ key: Key) -> (Int, String) {
    switch key {
    case .character(" "): (1, " ")
    case .character(let c): (c.isLetter ? 0 : 2, String(c))
    case .function(let n): (4, String(n))
    case .control(let c): (5, String(c))
    default: (3, name(of: key))
    }
  }

  /// The help overlay's rows: every action with all its keys.
  public var helpEntries: [HelpEntry] {
    func names(_ action: DashboardAction) -> String {
      keys(for: action).map(KeyMap.name(of:)).joined(separator: " ")
    }
    return DashboardAction.allCases.compactMap { action in
      let keys = keys(for: action)
      guard !keys.isEmpty else { return nil }
      // Opposite or kindred actions share a row ("+ = / -", "l / z"), so every action fits the
      // help at 80×24.
      if let pair = Self.pairs.first(where: { $0.second == action }),
        !self.keys(for: pair.first).isEmpty
      {
        return nil
      }
      if let pair = Self.pairs.first(where: { $0.first == action }),
        !self.keys(for: pair.second).isEmpty
      {
        let summary =
          isReplay && action == .slower ? "halve / double the replay's speed" : pair.summary
        return HelpEntry(names(action) + " / " + names(pair.second), summary)
      }
      let summary =
        switch (isReplay, action) {
        case (true, .togglePause): "play / pause the replay"
        case (true, .slower): "half the replay's speed"
        case (true, .faster): "double the replay's speed"
        default: action.summary
        }
      return HelpEntry(names(action), summary)
    }
  }

  /// Actions the help lists on one row when both have keys (opposite ones, or two of a kind),
  /// and what the row says.
  static let pairs: [(first: DashboardAction, second: DashboardAction, summary: String)] = [
    (.etaUp, .etaDown, "η of the focused model × / ÷ \(KeyMap.etaFactorText)"),
    (.slower, .faster, "halve / double the pace (replay: its speed)"),
    // Both change how the big chart draws its curves (and the help has no row to spare).
    (.toggleLogScale, .smoothing, "log / linear y axis; smoothing: off, 0.6, 0.9, 0.99"),
    // The cursor and the range both choose what of the big chart is read.
    (.inspect, .range, "cursor (← → Shift PgUp PgDn Esc); range: all, tail, frozen"),
    (.narrower, .wider, "range: fewer / more steps (tail N, frozen zoom at the cursor)"),
    (.structureMatrix, .waterfall, "structure matrix / λ-step waterfall (again: charts)"),
    // Both write what the session shows to a file.
    (.record, .exportView, "record a log (again: stop) / export the view as SVG"),
  ]

  /// The footer: the first key of each common action, most important first (a narrow
  /// footer keeps the first that fit, and help and quit always; `DashboardView.fitting`).
  /// Actions without a key in this map (a replay's seek and fork live) are left out.
  public var hints: [KeyHint] {
    let shown: [DashboardAction] = [
      .togglePause, .back, .forward, .fork, .step, .focusNext, .etaUp, .etaDown,
      .switchArchitecture, .settings, .record, .slower, .faster, .addModel, .removeModel,
      .paceMax, .reset, .structureMatrix, .waterfall, .toggleLogScale, .smoothing, .inspect,
      .range, .exportView, .toggleHelp, .quit,
    ]
    return shown.compactMap { action in
      guard let key = keys(for: action).first else { return nil }
      let name = key == .character(" ") ? "Spc" : KeyMap.name(of: key)
      return KeyHint(name, isReplay && action == .togglePause ? "Play" : action.hint)
    }
  }
}
