/// What another thread can ask of a running session; applied between steps, in order.
public enum SessionCommand: Sendable, Hashable {
  case pause
  case resume
  case togglePause
  /// One session step while paused.
  case step
  /// Sets η of model `model` (index in the lineup); takes effect at its next step.
  case setEta(model: Int, eta: Double)
  /// Multiplies η of model `model` by `factor`.
  case scaleEta(model: Int, factor: Double)
  /// Fresh parameters and optimiser state for model `model`.
  case reset(model: Int)
  /// Ends the session.
  case stop
}
