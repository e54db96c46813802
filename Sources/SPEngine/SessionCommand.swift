import SPNumerics

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
  /// Adds a model of `architecture` at the end of the lineup (refused when the run is over or
  /// the lineup would pass the memory limit).
  case addModel(architecture: String)
  /// Removes model `model` (never the last one).
  case removeModel(model: Int)
  /// Replaces model `model` by a fresh model of `architecture` (refused when the run is over).
  case replaceModel(model: Int, architecture: String)
  /// Changes a setting of model `model`, or of every model when nil (refused, with a notice in
  /// the snapshot, when the flags would refuse the value or the lineup would pass the memory
  /// limit).
  case configure(model: Int?, setting: ModelSetting)
  /// Changes the session's target and n, restarting every model (refused, with a notice in
  /// the snapshot, when nothing changes, the flags would refuse the values, the lineup would
  /// pass the memory limit or the run is over).
  case setProblem(target: TargetKind, n: Int)
  /// Notes that the dashboard's focus moved to model `model` (recorded; training unchanged).
  case focus(model: Int)
  /// Sets the pace of a paced session (wall time only; ignored by a session made without one).
  case setPace(Pace)
  /// Multiplies the pace by `factor` (and throttles again if it ran unthrottled).
  case scalePace(factor: Double)
  /// Unthrottled ↔ the last paced speed.
  case togglePaceMax
  /// Starts recording to an open log file, with metric records every `logEvery` session steps
  /// and evaluation records every `evalEvery`.
  case startRecording(LogFile, logEvery: Int, evalEvery: Int)
  /// Stops recording (the log gets its end record, reason "stopped").
  case stopRecording
  /// Ends the session (a recording ends with reason "done" if the run was complete, else "quit").
  case stop
  /// Ends the session because of a signal (a recording ends with reason "signal").
  case terminate(signal: Int32)
}

extension SessionCommand {
  /// Whether it changes which models there are (an ensemble's bands follow the lineup).
  var changesLineup: Bool {
    switch self {
    case .addModel, .removeModel, .replaceModel: true
    default: false
    }
  }

  /// Whether the next snapshot shows the structure it leaves at once rather than on the
  /// refresh budget: a new, reset or re-set model, a single step, a pause.
  var showsStructureAtOnce: Bool {
    switch self {
    case .reset, .addModel, .replaceModel, .configure, .setProblem, .step, .pause, .togglePause:
      true
    default: false
    }
  }
}
