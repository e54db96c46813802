import SPNumerics

/// Where a model stands. One truth with the session's state: a model that has not diverged is
/// `training` while the session runs, `paused` while it is paused and `done` once it is done;
/// `diverged` is a model's own end, whatever the session does.
public enum ModelStatus: String, Sendable, Codable {
  case training, paused, done, diverged

  /// The status of a model that has not diverged, in a session in `state`.
  public init(session state: SessionState) {
    switch state {
    case .running: self = .training
    case .paused: self = .paused
    case .done: self = .done
    }
  }
}

/// Where the session stands: `running` (steps are being taken), `paused` (by the user; `s`
/// takes one step), `done` (its iterations ran out, or no model is left training).
public enum SessionState: String, Sendable, Codable {
  case running, paused, done
}

/// An immutable picture of one model, handed from the training queue to readers.
public struct ModelSnapshot: Sendable {
  public var label: String
  public var architecture: String
  public var formula: String
  public var eta: Double
  public var optimizer: String
  /// The model's own steps since its last (re)initialisation.
  public var iteration: Int
  public var status: ModelStatus
  public var loss: Double
  public var aprioriError: Double
  /// The a-priori error at the model's (last) initialisation.
  public var initialAprioriError: Double
  public var structure: StructureMetrics
  /// Series against the session step.
  public var lossHistory: History
  public var aprioriHistory: History
  /// Session steps at which the model was reset.
  public var resets: [Int]
  /// Session steps at which the model's η changed.
  public var etaChanges: [Int] = []
  /// Where the model was replaced by another architecture (its `resets` include these steps).
  public var switches: [ArchitectureSwitch] = []
  /// The model's number in the session (`Lineup.Entry.id`, its log records' `index`).
  public var id = 0
  /// What the model trains with (nil in a replay, which shows only the changes).
  public var settings: ModelSettings?
  /// Where its settings changed (markers labelled with the change).
  public var settingChanges: [SettingChange] = []
  /// Where the session's target or n changed (the model restarted; markers labelled with it).
  public var problemChanges: [ProblemChange] = []
  /// The homogeneity curve over λ sampled as training went on (bounded; oldest first).
  public var waterfall: [WaterfallRow] = []
  /// In an ensemble: the model over its seeds (the figures above are then medians).
  public var ensemble: ModelEnsemble? = nil
  /// Steps per second of this model alone (time spent in its own steps); 0 when unknown (a
  /// replay). The dashboard shows it only while the model trains.
  public var stepsPerSecond: Double
  public var parameterCount: Int
  /// Every diagnostic at the last structure refresh (nil when not computed, e.g. a replay).
  public var diagnostics: ModelDiagnostics?
  /// The structure properties the model's architecture guarantees by construction.
  public var guarantees: Set<StructureProperty>

  public init(
    label: String, architecture: String, formula: String, eta: Double, optimizer: String,
    iteration: Int, status: ModelStatus, loss: Double, aprioriError: Double,
    initialAprioriError: Double, structure: StructureMetrics, lossHistory: History,
    aprioriHistory: History, resets: [Int], stepsPerSecond: Double, parameterCount: Int,
    diagnostics: ModelDiagnostics? = nil, guarantees: Set<StructureProperty> = []
  ) {
    self.label = label
    self.architecture = architecture
    self.formula = formula
    self.eta = eta
    self.optimizer = optimizer
    self.iteration = iteration
    self.status = status
    self.loss = loss
    self.aprioriError = aprioriError
    self.initialAprioriError = initialAprioriError
    self.structure = structure
    self.lossHistory = lossHistory
    self.aprioriHistory = aprioriHistory
    self.resets = resets
    self.stepsPerSecond = stepsPerSecond
    self.parameterCount = parameterCount
    self.diagnostics = diagnostics
    self.guarantees = guarantees
  }
}

/// An immutable, consistent picture of the whole session at one moment (latest wins).
public struct SessionSnapshot: Sendable {
  public var settings: SessionSettings
  public var state: SessionState
  /// Session steps taken (each one steps every model still training).
  public var step: Int
  /// Session steps per second: over the last half second while running; while paused or
  /// done, the mean over the time the session spent running.
  public var stepsPerSecond: Double
  /// False while a running session has not yet run long enough (a tenth of a second of steps)
  /// for `stepsPerSecond` to be measured: it then says 0 but means "not known yet".
  public var rateMeasured = true
  /// Wall-clock seconds since the session started.
  public var elapsed: Double
  public var models: [ModelSnapshot]
  /// Counts published snapshots, so readers can tell a new one from the last.
  public var version: Int
  public var lambdas: [Double]
  /// The running recording, or the message of one that failed; nil when not recording.
  public var recording: RecordingStatus? = nil
  /// Set by a replay: the log it plays (the header shows it).
  public var replaySource: String? = nil
  /// ‖x(t)‖² of the flow dx/dt = N(x) for the reference and every model (skew target only).
  public var rollout: RolloutCurves? = nil
  /// The live session's pace (nil: never paced, as `sptop run` and replays).
  public var pace: Pace? = nil
  /// Why the session refused the last command it was sent (a setting the flags would refuse),
  /// nil once one is accepted.
  public var commandMessage: String? = nil
  /// The log and step the session was forked from (the header shows them).
  public var fork: SessionLog.Parent? = nil
  /// An ensemble's seeds and threads (nil: one session).
  public var ensemble: EnsembleSummary? = nil

  public init(
    settings: SessionSettings, state: SessionState, step: Int, stepsPerSecond: Double,
    elapsed: Double, models: [ModelSnapshot], version: Int, lambdas: [Double]
  ) {
    self.settings = settings
    self.state = state
    self.step = step
    self.stepsPerSecond = stepsPerSecond
    self.elapsed = elapsed
    self.models = models
    self.version = version
    self.lambdas = lambdas
  }
}

/// One row of a model's homogeneity waterfall: the curve over λ at a session step.
public struct WaterfallRow: Sendable, Hashable {
  public var step: Int
  public var values: [Double]
  public init(step: Int, values: [Double]) {
    self.step = step
    self.values = values
  }
}

/// Energy ‖x(t)‖² along the implicit-midpoint flow of the reference and of every model.
public struct RolloutCurves: Sendable, Hashable {
  public var times: [Double]
  public var reference: [Double]
  /// One curve per model of the lineup (empty for a model whose flow could not be computed).
  public var models: [[Double]]
  public init(times: [Double], reference: [Double], models: [[Double]]) {
    self.times = times
    self.reference = reference
    self.models = models
  }
}
