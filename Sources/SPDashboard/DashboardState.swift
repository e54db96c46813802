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
  /// Actions the UI loop carries out itself (recording, replay navigation), oldest first.
  public var loopRequests: [DashboardAction] = []

  public init(focus: Int = 0, logScale: Bool = true, showHelp: Bool = false) {
    self.focus = focus
    self.logScale = logScale
    self.showHelp = showHelp
  }

  /// Applies a key: updates the state and returns the commands for the training session.
  /// With the help overlay open, Esc and `?` close it instead of acting.
  public mutating func handle(_ key: Key, keyMap: KeyMap, modelCount: Int) -> [SessionCommand] {
    if showHelp && (key == .escape || keyMap.action(for: key) == .toggleHelp) {
      showHelp = false
      return []
    }
    guard let action = keyMap.action(for: key) else { return [] }
    return perform(action, modelCount: modelCount)
  }

  /// Applies an action; returns the session commands it needs.
  public mutating func perform(_ action: DashboardAction, modelCount: Int) -> [SessionCommand] {
    let count = max(1, modelCount)
    focus = min(max(0, focus), count - 1)
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
