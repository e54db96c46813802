import SPEngine
import SPTUI

/// What the dashboard itself remembers between frames: focus, axis scale, overlays.
public struct DashboardState: Sendable, Hashable {
  /// Index of the model in focus in the lineup.
  public var focus = 0
  public var logScale = true
  public var showHelp = false
  public var quitRequested = false
  /// What the lower half of the screen shows.
  public var view: LowerView = .charts
  /// The playback speed of a replay (nil when training live).
  public var replaySpeed: Double?
  /// Session steps one ← / → moves a replay (nil when training live).
  public var replaySeekStep: Int?
  /// Actions the UI loop carries out itself (recording, replay navigation), oldest first.
  public var loopRequests: [DashboardAction] = []

  public init(focus: Int = 0, logScale: Bool = true, showHelp: Bool = false) {
    self.focus = focus
    self.logScale = logScale
    self.showHelp = showHelp
  }

  /// Why the last key did nothing in the session's state, for the footer; nil when it acted.
  /// The loop shows it and clears it.
  public var notice: String?

  /// Applies a key: updates the state and returns the commands for the training session.
  /// With the help overlay open, Esc and `?` close it instead of acting. `session` is the latest
  /// snapshot of a live session (nil in a replay, or before the first): a key that cannot act in
  /// its state sends nothing and says why in `notice`.
  public mutating func handle(
    _ key: Key, keyMap: KeyMap, modelCount: Int, session: SessionSnapshot? = nil
  ) -> [SessionCommand] {
    if showHelp && (key == .escape || keyMap.action(for: key) == .toggleHelp) {
      showHelp = false
      return []
    }
    guard let action = keyMap.action(for: key) else { return [] }
    return perform(action, modelCount: modelCount, session: session)
  }

  /// Applies an action; returns the session commands it needs (none, with a `notice`, when the
  /// live session's state leaves it nothing to do).
  public mutating func perform(
    _ action: DashboardAction, modelCount: Int, session: SessionSnapshot? = nil
  ) -> [SessionCommand] {
    let count = max(1, modelCount)
    focus = min(max(0, focus), count - 1)
    notice = nil
    if let session, let why = Self.refusal(action, session: session) {
      notice = why
      return []
    }
    switch action {
    case .togglePause: return [.togglePause]
    case .step: return [.step]
    case .focusNext:
      focus = (focus + 1) % count
      return [.focus(model: focus)]
    case .focusPrevious:
      focus = (focus + count - 1) % count
      return [.focus(model: focus)]
    case .etaUp: return [.scaleEta(model: focus, factor: KeyMap.etaFactor)]
    case .etaDown: return [.scaleEta(model: focus, factor: 1 / KeyMap.etaFactor)]
    case .reset: return [.reset(model: focus)]
    case .toggleLogScale: logScale.toggle()
    case .toggleHelp: showHelp.toggle()
    case .cycleTheme: loopRequests.append(action)
    case .record, .back, .forward, .slower, .faster: loopRequests.append(action)
    case .structureMatrix: view = view == .matrix ? .charts : .matrix
    case .waterfall: view = view == .waterfall ? .charts : .waterfall
    case .rollout: view = view == .rollout ? .charts : .rollout
    case .quit: quitRequested = true
    }
    return []
  }
}

extension DashboardState {
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
