import SPEngine
import SPTUI

/// What a key asks the loop around the dashboard to do: the effects of `DashboardState.update`,
/// carried out at the edge (the session, the recording, the theme, the replay's clock).
public enum DashboardEffect: Sendable, Hashable {
  /// A command for the training session.
  case session(SessionCommand)
  /// Start recording, or stop the recording that runs.
  case toggleRecording
  /// The next colour theme.
  case cycleTheme
  /// Replay: play or pause (from the start again once at the end).
  case playPause
  /// Replay: move the clock by this many seek units (← / →).
  case seek(presses: Int)
  /// Replay: leave the replay for a live session forked from the step shown.
  case fork
  /// Write the big chart and the λ panel, as on screen, to a fresh SVG file.
  case exportView
  /// A one-line notice for the footer: why a key did nothing.
  case notice(String)
  case quit
}

/// What the dashboard itself remembers between frames (focus, axis scale, overlays, a replay's
/// speed) and the one reducer of keys, for the live dashboard and the replay alike:
/// `update(with:…)` changes the state and returns the effects for the loop to carry out.
public struct DashboardState: Sendable, Hashable {
  /// Index of the model in focus in the lineup.
  public var focus = 0
  public var logScale = true
  public var showHelp = false
  /// An ensemble's big chart shows every seed's curve, faint, behind the median (`S`).
  public var showTraces = false
  /// The weight of the big chart's smoothing (`z`, `--smoothing`; 0: off): a debiased
  /// exponential moving average (`Smoothing`), in log space on a log axis.
  public var smoothing = 0.0
  /// The inspection cursor while it is shown (`v`): it takes ← / →, Shift-← / Shift-→, PgUp /
  /// PgDn, Home / End, ↑ / ↓ (the waterfall's rows) and Esc.
  public var inspection: Inspection?
  /// The steps the big chart shows (`g`; `<` and `>`).
  public var range = ChartRange.whole
  /// The steps the tail shows (`--tail`... `<` halves it, `>` doubles it).
  public var tailSteps = 1000
  public var quitRequested = false
  /// What the lower half of the screen shows.
  public var view: LowerView = .charts
  /// The playback speed of a replay (nil when training live).
  public var replaySpeed: Double?
  /// Session steps one ← / → moves a replay (nil when training live).
  public var replaySeekStep: Int?
  /// The architecture picker, while it is open (`c`, `i`): it takes every key.
  public var picker: ArchitecturePicker?
  /// The settings popup, while it is open (`e`): it takes every key.
  public var settingsEditor: SettingsEditor?

  public init(focus: Int = 0, logScale: Bool = true, showHelp: Bool = false) {
    self.focus = focus
    self.logScale = logScale
    self.showHelp = showHelp
  }

  /// The reducer: applies a key and returns what the loop must do. With the help overlay open,
  /// Esc and `?` close it instead of acting. `session` is the latest snapshot of a live session
  /// (nil in a replay, or before the first): a key that cannot act in its state does nothing
  /// but a `.notice` saying why.
  public mutating func update(
    with key: Key, keyMap: KeyMap, modelCount: Int, session: SessionSnapshot? = nil,
    geometry: DashboardGeometry? = nil
  ) -> [DashboardEffect] {
    if showHelp && (key == .escape || keyMap.action(for: key) == .toggleHelp) {
      showHelp = false
      return []
    }
    if var open = settingsEditor {
      let (close, effects) = open.handle(key, session: session)
      settingsEditor = close ? nil : open
      return effects
    }
    if var open = picker {
      let (close, effects) = open.handle(key, modelCount: modelCount)
      picker = close ? nil : open
      if case .session(.focus(let i))? = effects.last { focus = i }
      return effects
    }
    if !showHelp, let effects = inspect(key, geometry: geometry) { return effects }
    guard let action = keyMap.action(for: key) else { return [] }
    return update(
      with: action, modelCount: modelCount, session: session, replay: keyMap.isReplay,
      geometry: geometry)
  }

  /// The reducer for one action (see `update(with:keyMap:modelCount:session:)`).
  public mutating func update(
    with action: DashboardAction, modelCount: Int, session: SessionSnapshot? = nil,
    replay: Bool = false, geometry: DashboardGeometry? = nil
  ) -> [DashboardEffect] {
    let count = max(1, modelCount)
    focus = min(max(0, focus), count - 1)
    if !replay, let session, let why = Self.refusal(action, session: session) {
      return [.notice(why)]
    }
    switch action {
    case .togglePause: return replay ? [.playPause] : [.session(.togglePause)]
    case .step: return [.session(.step)]
    case .focusNext:
      focus = (focus + 1) % count
      return replay ? [] : [.session(.focus(model: focus))]
    case .focusPrevious:
      focus = (focus + count - 1) % count
      return replay ? [] : [.session(.focus(model: focus))]
    case .etaUp: return [.session(.scaleEta(model: focus, factor: KeyMap.etaFactor))]
    case .etaDown: return [.session(.scaleEta(model: focus, factor: 1 / KeyMap.etaFactor))]
    case .reset: return [.session(.reset(model: focus))]
    case .switchArchitecture:
      guard !replay else { return [] }
      let current =
        session?.models.indices.contains(focus) == true
        ? session!.models[focus].architecture : nil
      picker = ArchitecturePicker(
        purpose: .replace(model: focus),
        selection: current.flatMap { ArchitecturePicker.names.firstIndex(of: $0) } ?? 0)
    case .addModel:
      guard !replay else { return [] }
      picker = ArchitecturePicker(purpose: .add)
    case .removeModel:
      guard !replay else { return [] }
      return [.session(.removeModel(model: focus))]
    case .settings:
      guard !replay, let s = session, s.models.indices.contains(focus),
        let current = s.models[focus].settings
      else { return [] }
      settingsEditor = SettingsEditor(model: focus, settings: current, session: s.settings)
    case .toggleLogScale: logScale.toggle()
    case .smoothing: smoothing = Smoothing.next(after: smoothing)
    case .inspect: return toggleInspection(replay: replay, geometry: geometry)
    case .range: cycleRange(geometry: geometry)
    case .narrower: return zoom(in: true, geometry: geometry, replay: replay)
    case .wider: return zoom(in: false, geometry: geometry, replay: replay)
    case .toggleHelp: showHelp.toggle()
    case .cycleTheme: return [.cycleTheme]
    case .record: return [.toggleRecording]
    case .exportView: return [.exportView]
    case .back: return [.seek(presses: -1)]
    case .forward: return [.seek(presses: 1)]
    case .slower:
      if !replay { return [.session(.scalePace(factor: 0.5))] }
      replaySpeed = max(1.0 / 64, (replaySpeed ?? 1) / 2)
    case .faster:
      if !replay { return [.session(.scalePace(factor: 2))] }
      replaySpeed = min(1024, (replaySpeed ?? 1) * 2)
    case .paceMax: return replay ? [] : [.session(.togglePaceMax)]
    case .fork: return replay ? [.fork] : []
    case .traces:
      guard session?.ensemble != nil else {
        return replay ? [] : [.notice("S shows each seed's curve in an ensemble (sptop --seeds)")]
      }
      showTraces.toggle()
    case .structureMatrix: show(.matrix)
    case .waterfall: show(.waterfall)
    case .rollout: show(.rollout)
    case .quit:
      quitRequested = true
      return [.quit]
    }
    return []
  }
}

extension DashboardState {
  /// Shows `lower` (the charts when it is shown already); a cursor goes, as the chart it
  /// stood on does.
  mutating func show(_ lower: LowerView) {
    view = view == lower ? .charts : lower
    inspection = nil
  }

  /// Why `action` cannot act on a live session in `session`'s state, or nil when it can.
  ///
  /// The session's states: running, paused, done (iterations ran out, or every model diverged).
  /// Space pauses and resumes while steps are left; `s` steps only while paused; `R` resets a
  /// model while steps are left (at the end of the run a fresh model would never train); η
  /// changes always apply (they are recorded, and a diverged model keeps its new η for `R`).
  static func refusal(_ action: DashboardAction, session s: SessionSnapshot)
    -> String?
  {
    let total = s.settings.iterations
    let atEnd = total > 0 && s.step >= total
    let end = "the run is done (step \(s.step)/\(total))"
    switch action {
    case .togglePause where s.state == .done:
      return atEnd
        ? "\(end): nothing to pause; q quits, r records, m/w/o show the results"
        : "every model diverged: R resets the focused one, then Space pauses"
    case .step where s.state == .done:
      return atEnd
        ? "\(end): no step left to take" : "every model diverged: R resets the focused one"
    case .step where s.state == .running:
      return "s takes one step while paused: press Space to pause first"
    case .reset where atEnd:
      return "\(end): a reset model would never train; start sptop with more --iterations"
    case .switchArchitecture where atEnd, .addModel where atEnd:
      return "\(end): a new model would never train; start sptop with more --iterations"
    case .removeModel where s.models.count <= 1:
      return "the last model cannot be removed"
    default:
      return nil
    }
  }
}

/// The views of the lower half of the dashboard.
public enum LowerView: String, Sendable, Hashable, CaseIterable {
  /// The focused model's errors over the run and the λ panel.
  case charts
  /// Architectures × properties (`m`).
  case matrix
  /// The focused model's homogeneity error over λ as training goes on (`w`).
  case waterfall
  /// ‖x(t)‖² along the flow dx/dt = N(x) (`o`; skew target).
  case rollout
}
