import SPNumerics

/// What a user did to a session, in the one vocabulary the live session applies, the session
/// log records (`command` in each event record, from format version 2) and `verify` and
/// `replay` read back: `SessionWorker.apply(_:)` is its one interpreter for training, and
/// `LogPlayback` reads the same values for what it shows.
public enum SessionEvent: Codable, Sendable, Hashable {
  case pause
  case resume
  /// One session step while paused.
  case step
  /// η of model `model` (index in the lineup) set to `eta`, from its next step.
  case setEta(model: Int, eta: Double)
  /// Fresh parameters and optimiser state for model `model`, from its own random stream.
  case reset(model: Int)
  /// The dashboard's focus moved to model `model` (training unchanged).
  case focus(model: Int)
  /// A model of architecture `architecture` joins the lineup at its end, with the next unused
  /// number and parameters from that number's random stream (see `Lineup`).
  case addModel(architecture: String)
  /// Model `model` (its position) leaves the lineup; never the last one.
  case removeModel(model: Int)
  /// Model `model` becomes a fresh model of architecture `architecture`: same number and
  /// histories (with a marker), parameters from a seed drawn from the model's own stream.
  case replaceModel(model: Int, architecture: String)
  /// A setting of model `model` (its position), or of every model when nil, changed.
  case configure(model: Int?, setting: ModelSetting)
  /// The session's target and n became `target` and `n` (at least one of them changed): a new
  /// problem from the session's seed, and every model starts again with fresh parameters from a
  /// seed drawn from its own stream (a marker); a model of explicit width keeps it.
  case setProblem(target: TargetKind, n: Int)
  /// A recording started or stopped, or the session ended (notes in the log).
  case recordStart
  case recordStop
  case end

  /// The name a log record gives it (`event`, the same in every version).
  public var name: String {
    switch self {
    case .pause: "pause"
    case .resume: "resume"
    case .step: "step"
    case .setEta: "eta"
    case .reset: "reset"
    case .focus: "focus"
    case .addModel: "add_model"
    case .removeModel: "remove_model"
    case .replaceModel: "replace_model"
    case .configure: "configure"
    case .setProblem: "problem"
    case .recordStart: "record_start"
    case .recordStop: "record_stop"
    case .end: "end"
    }
  }

  /// The model it concerns, if any.
  public var model: Int? {
    switch self {
    case .setEta(let m, _), .reset(let m), .focus(let m), .removeModel(let m),
      .replaceModel(let m, _):
      m
    case .configure(let m, _): m
    default: nil
    }
  }

  /// The new η of `setEta`.
  public var eta: Double? {
    if case .setEta(_, let eta) = self { return eta }
    return nil
  }

  /// The event a version 1 record spells with `event`, `model` and `eta`; nil for an unknown
  /// name or a missing model or η.
  public init?(name: String, model: Int?, eta: Double?) {
    switch name {
    case "pause": self = .pause
    case "resume": self = .resume
    case "step": self = .step
    case "eta":
      guard let model, let eta else { return nil }
      self = .setEta(model: model, eta: eta)
    case "reset":
      guard let model else { return nil }
      self = .reset(model: model)
    case "focus":
      guard let model else { return nil }
      self = .focus(model: model)
    case "record_start": self = .recordStart
    case "record_stop": self = .recordStop
    case "end": self = .end
    default: return nil
    }
  }

  /// Whether it changes what training computes (η, parameters, the lineup): the events
  /// `verify` must apply.
  public var changesTraining: Bool {
    switch self {
    case .setEta, .reset, .addModel, .removeModel, .replaceModel, .configure, .setProblem: true
    default: false
    }
  }

  /// Whether it changes the lineup (which models there are, their numbers and labels).
  public var changesLineup: Bool {
    switch self {
    case .addModel, .removeModel, .replaceModel: true
    default: false
    }
  }
}
