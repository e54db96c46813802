import SPNumerics

/// The session log: JSON Lines, one record per line, each with a `type`. Format version 3
/// (versions 1 and 2 are read too), documented in the README ("Session logs").
public enum SessionLog {
  public static let format = "sptop-log"
  public static let version = 3
  /// The format versions this sptop reads (version 1: events without `command`; version 2:
  /// no lineup events, records numbered by position).
  public static let readableVersions = 1...3

  /// Default `--log-every`: about 200 metric records per model for a bounded run, one every
  /// 2000 steps for an unbounded one.
  public static func defaultLogEvery(iterations: Int) -> Int {
    iterations > 0 ? max(1, iterations / 200) : 2000
  }

  /// Default `--eval-every`: ten metric intervals.
  public static func defaultEvalEvery(logEvery: Int) -> Int { 10 * logEvery }

  /// The first record: everything needed to re-run the session exactly.
  public struct Header: Codable, Sendable, Equatable {
    public var type = "header"
    public var format: String
    public var version: Int
    public var sptop_version: String
    public var created: String
    public var settings: SessionSettings
    public var rng: RNG
    public var A: [[Double]]
    public var xvalid: [Double]
    public var probe: ProbeInputs
    public var lineup: [LineupEntry]
    public var log_every: Int
    public var eval_every: Int
    /// The session step at which recording started (0 when recorded from the start).
    public var start_step: Int
    /// Events before recording started, so the session can be re-run from step 0 (in a fork,
    /// the parent's up to the fork's step, then the fork's own).
    public var prior_events: [Event]
    /// The log this session was forked from, and the step (absent when it was not a fork).
    public var parent: Parent? = nil
    /// An ensemble's seeds (absent for one session): every metric, evaluation and end entry
    /// then names its `seed`; `settings.seed` and `A`, `xvalid`, `probe` are the first seed's.
    public var seeds: [UInt64]? = nil
  }

  public struct RNG: Codable, Sendable, Equatable {
    public var name: String
    public var seed: UInt64
  }

  public struct ProbeInputs: Codable, Sendable, Equatable {
    public var additivity_x: [Double]
    public var additivity_y: [Double]
    public var homogeneity_x: [Double]
    public var lambdas: [Double]
  }

  public struct LineupEntry: Codable, Sendable, Equatable {
    public var name: String
    public var architecture: String
    public var formula: String
    public var eta: Double
    public var optimizer: String
    /// The model's number (`Lineup.Entry.id`, the `index` of its records); absent in logs
    /// before models could be added and removed, where it is the position.
    public var index: Int?

    public init(
      name: String, architecture: String, formula: String, eta: Double, optimizer: String,
      index: Int?
    ) {
      self.name = name
      self.architecture = architecture
      self.formula = formula
      self.eta = eta
      self.optimizer = optimizer
      self.index = index
    }
  }

  /// Loss and a-priori error of one model after session step `step`.
  public struct Metric: Codable, Sendable, Equatable {
    public var type = "metric"
    /// In an ensemble's log: the seed whose model this is.
    public var seed: UInt64? = nil
    public var model: String
    public var index: Int
    public var step: Int
    public var iteration: Int
    public var loss: Double?
    public var apriori_error: Double?
    public var elapsed: Double
  }

  /// Structure errors of one model after session step `step`.
  public struct Eval: Codable, Sendable, Equatable {
    public var type = "eval"
    /// In an ensemble's log: the seed whose model this is.
    public var seed: UInt64? = nil
    public var model: String
    public var index: Int
    public var step: Int
    public var iteration: Int
    public var additivity_error: Double?
    public var homogeneity_error: [Double?]
    public var homogeneity_error_max: Double?
    public var elapsed: Double
  }

  /// A user action and the session step (and every model's iteration) at which it took effect.
  public struct Event: Codable, Sendable, Equatable {
    public var type = "event"
    /// pause, resume, step, eta, reset, focus, add_model, remove_model, replace_model,
    /// record_start, record_stop, end.
    public var event: String
    public var step: Int
    public var iterations: [Int]
    /// The model the action concerns, by its position in the lineup of that moment (eta, reset,
    /// focus, remove_model, replace_model).
    public var model: Int?
    /// The new η (eta).
    public var eta: Double?
    public var elapsed: Double
    /// The event as the session applied it (format version 2; absent in version 1 logs, whose
    /// `event`, `model` and `eta` say the same).
    public var command: SessionEvent?

    public init(_ command: SessionEvent, step: Int, iterations: [Int], elapsed: Double) {
      event = command.name
      self.step = step
      self.iterations = iterations
      model = command.model
      eta = command.eta
      self.elapsed = elapsed
      self.command = command
    }

    /// What the record says happened: `command`, or in a version 1 log the event its name,
    /// model and η spell; nil when neither says (an unknown name).
    public var sessionEvent: SessionEvent? {
      command ?? SessionEvent(name: event, model: model, eta: eta)
    }
  }

  /// The last record: why the session (or the recording) ended, final metrics and parameters.
  public struct End: Codable, Sendable, Equatable {
    public var type = "end"
    /// done, quit, signal, stopped (recording stopped with `r`).
    public var reason: String
    public var signal: Int32?
    public var step: Int
    public var elapsed: Double
    public var models: [EndModel]
  }

  public struct EndModel: Codable, Sendable, Equatable {
    /// In an ensemble's log: the seed whose model this is.
    public var seed: UInt64? = nil
    public var name: String
    public var index: Int
    public var status: String
    public var iteration: Int
    public var eta: Double
    public var loss: Double?
    public var apriori_error: Double?
    public var additivity_error: Double?
    public var homogeneity_error: [Double?]
    /// Each named part: matrices as arrays of rows, vectors as arrays.
    public var parameters: [String: Parameter]
    public var parameter_order: [String]
  }

  /// A named parameter part: a matrix (rows) or a vector; non-finite entries are null.
  public enum Parameter: Codable, Sendable, Equatable {
    case matrix([[Double?]])
    case vector([Double?])

    public init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let m = try? c.decode([[Double?]].self) {
        self = .matrix(m)
      } else {
        self = .vector(try c.decode([Double?].self))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self {
      case .matrix(let m): try c.encode(m)
      case .vector(let v): try c.encode(v)
      }
    }

    /// The entries row by row (nil where not finite).
    public var flat: [Double?] {
      switch self {
      case .matrix(let m): m.flatMap { $0 }
      case .vector(let v): v
      }
    }
  }

  /// A compact JSON number: the shortest text that reads back to the same Double; null when
  /// not finite.
  @inlinable
  public static func number(_ x: Double) -> String { x.isFinite ? x.description : "null" }
  static func number(_ x: Double?) -> String { x.map(number) ?? "null" }

  /// A JSON string literal.
  public static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// A metric record as one line, written by hand: it is the hot record of a recording.
  public static func metricLine(
    model: String, index: Int, step: Int, iteration: Int, loss: Double, apriori: Double,
    elapsed: Double, seed: UInt64? = nil
  ) -> String {
    "{\"type\":\"metric\"," + (seed.map { "\"seed\":\($0)," } ?? "")
      + "\"model\":\(string(model)),\"index\":\(index),\"step\":\(step),"
      + "\"iteration\":\(iteration),\"loss\":\(number(loss)),\"apriori_error\":\(number(apriori)),"
      + "\"elapsed\":\(number(elapsed))}"
  }
}

extension SessionLog {
  /// An evaluation record as one JSON line, keys in the sorted order `append(record:)` writes,
  /// written directly (JSONEncoder took a third of a recorded ensemble's time); it reads back
  /// as the same record, bit for bit (tested).
  public static func evalLine(_ e: Eval) -> String {
    var out = "{\"additivity_error\":" + number(e.additivity_error)
    out += ",\"elapsed\":" + number(e.elapsed) + ",\"homogeneity_error\":["
    for (k, v) in e.homogeneity_error.enumerated() {
      if k > 0 { out += "," }
      out += number(v)
    }
    out += "],\"homogeneity_error_max\":" + number(e.homogeneity_error_max)
    out += ",\"index\":\(e.index),\"iteration\":\(e.iteration),\"model\":" + string(e.model)
    if let seed = e.seed { out += ",\"seed\":\(seed)" }
    return out + ",\"step\":\(e.step),\"type\":" + string(e.type) + "}"
  }
}

/// nil for NaN and ±∞, so JSON gets null.
@inlinable
func finiteOrNil(_ x: Double) -> Double? { x.isFinite ? x : nil }

// The records with measured values write every key, a non-finite one as null (synthesised
// encoding would leave the key out), so a diverged model's record says null, as metric lines do.
extension SessionLog.Eval {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(type, forKey: .type)
    try c.encodeIfPresent(seed, forKey: .seed)
    try c.encode(model, forKey: .model)
    try c.encode(index, forKey: .index)
    try c.encode(step, forKey: .step)
    try c.encode(iteration, forKey: .iteration)
    try c.encode(additivity_error, forKey: .additivity_error)
    try c.encode(homogeneity_error, forKey: .homogeneity_error)
    try c.encode(homogeneity_error_max, forKey: .homogeneity_error_max)
    try c.encode(elapsed, forKey: .elapsed)
  }
}

extension SessionLog.EndModel {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(seed, forKey: .seed)
    try c.encode(name, forKey: .name)
    try c.encode(index, forKey: .index)
    try c.encode(status, forKey: .status)
    try c.encode(iteration, forKey: .iteration)
    try c.encode(eta, forKey: .eta)
    try c.encode(loss, forKey: .loss)
    try c.encode(apriori_error, forKey: .apriori_error)
    try c.encode(additivity_error, forKey: .additivity_error)
    try c.encode(homogeneity_error, forKey: .homogeneity_error)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(parameter_order, forKey: .parameter_order)
  }
}
