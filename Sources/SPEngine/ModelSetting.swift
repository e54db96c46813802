import SPNumerics

/// The settings one model trains with. They start as the session's (`--optimizer`, `--batch`,
/// `--penalty-weight`, `--width`, `--init`) and each model's can change while the session runs
/// (`SessionEvent.configure`).
public struct ModelSettings: Sendable, Hashable, Codable {
  public var optimizer: OptimizerKind
  public var batch: Int
  public var penaltyWeight: Double
  /// Hidden width of the MLP family (nil: n).
  public var width: Int?
  public var initScheme: InitScheme

  public init(_ s: SessionSettings) {
    optimizer = s.optimizer
    batch = s.batch
    penaltyWeight = s.penaltyWeight
    width = s.width
    initScheme = s.initScheme
  }

  /// These settings with `setting` applied.
  public func with(_ setting: ModelSetting) -> ModelSettings {
    var s = self
    switch setting {
    case .optimizer(let o): s.optimizer = o
    case .batch(let b): s.batch = b
    case .penaltyWeight(let w): s.penaltyWeight = w
    case .width(let w): s.width = w
    case .initScheme(let i): s.initScheme = i
    }
    return s
  }

  /// `session` with these settings in place of its own.
  public func applied(to session: SessionSettings) -> SessionSettings {
    var s = session
    s.optimizer = optimizer
    s.batch = batch
    s.penaltyWeight = penaltyWeight
    s.width = width
    s.initScheme = initScheme
    return s
  }
}

/// One model setting changed while the session runs. Optimiser, batch and penalty weight go on
/// from the model's parameters (a new optimiser starts from zero state); width and init
/// re-initialise the model (fresh parameters from a seed drawn from its own stream, a marker).
public enum ModelSetting: Sendable, Hashable {
  case optimizer(OptimizerKind)
  case batch(Int)
  case penaltyWeight(Double)
  case width(Int)
  case initScheme(InitScheme)

  /// Whether the change gives the model fresh parameters.
  public var reinitializes: Bool {
    switch self {
    case .width, .initScheme: true
    default: false
    }
  }

  /// For markers and notices: `batch 40`, `optimizer adam`.
  public var description: String {
    switch self {
    case .optimizer(let o): "optimizer \(o.rawValue)"
    case .batch(let b): "batch \(b)"
    case .penaltyWeight(let w): "penalty weight \(w)"
    case .width(let w): "width \(w)"
    case .initScheme(let i): "init \(i.rawValue)"
    }
  }

  /// As the log spells it, `name=value`: `batch=40`, `penalty_weight=0.5`, `init=he`.
  public var keyValue: String {
    switch self {
    case .optimizer(let o): "optimizer=\(o.rawValue)"
    case .batch(let b): "batch=\(b)"
    case .penaltyWeight(let w): "penalty_weight=\(w)"
    case .width(let w): "width=\(w)"
    case .initScheme(let i): "init=\(i.rawValue)"
    }
  }

  /// Why the change cannot be made to models of `architectures` trained as `models` in a
  /// session of `session`'s settings — checked as the flags are (the message names the
  /// setting, e.g. "batch: must be a positive integer, got 0"), the lineup's memory included —
  /// or nil when it can.
  public static func refusal(
    _ settings: [ModelSettings], architectures: [String], session: SessionSettings,
    memoryLimit: UInt64 = SessionSettings.defaultMemoryLimit
  ) -> String? {
    for s in settings {
      var check = s.applied(to: session)
      check.models = architectures
      do {
        try check.validate(memoryLimit: memoryLimit)
      } catch {
        return "\(error)"
      }
    }
    return nil
  }
}

// In a log: one key and its value, `{"batch":40}`, `{"optimizer":"adam"}`, `{"init":"he"}`.
extension ModelSetting: Codable {
  private enum Key: String, CodingKey {
    case optimizer, batch, width
    case penaltyWeight = "penalty_weight"
    case initScheme = "init"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    guard c.allKeys.count == 1, let key = c.allKeys.first else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: c.codingPath,
          debugDescription: "one of optimizer, batch, penalty_weight, width, init"))
    }
    switch key {
    case .optimizer: self = .optimizer(try c.decode(OptimizerKind.self, forKey: key))
    case .batch: self = .batch(try c.decode(Int.self, forKey: key))
    case .penaltyWeight: self = .penaltyWeight(try c.decode(Double.self, forKey: key))
    case .width: self = .width(try c.decode(Int.self, forKey: key))
    case .initScheme: self = .initScheme(try c.decode(InitScheme.self, forKey: key))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    switch self {
    case .optimizer(let o): try c.encode(o, forKey: .optimizer)
    case .batch(let b): try c.encode(b, forKey: .batch)
    case .penaltyWeight(let w): try c.encode(w, forKey: .penaltyWeight)
    case .width(let w): try c.encode(w, forKey: .width)
    case .initScheme(let i): try c.encode(i, forKey: .initScheme)
    }
  }
}

/// A setting changed at session step `step` (a marker in the chart, labelled with it).
public struct SettingChange: Sendable, Hashable, Codable {
  public var step: Int
  public var setting: ModelSetting

  public init(step: Int, setting: ModelSetting) {
    self.step = step
    self.setting = setting
  }
}
