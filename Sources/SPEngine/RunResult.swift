import SPNumerics

/// The end of a session as `sptop run` reports it; its JSON form is documented in the README.
/// Non-finite numbers (a diverged model, a zero denominator) are written as JSON null.
public struct RunResult: Sendable, Encodable {
  /// The λ values of the table's homogeneity columns.
  public static let tableLambdas: [Double] = [-10, -1, 0.5, 2, 10]

  public struct Settings: Sendable, Encodable {
    public var models: [String]
    public var n: Int
    public var seed: UInt64
    public var iterations: Int
    public var batch: Int
    public var eta: Double
    public var optimizer: String
    public var penalty_weight: Double
    public var `init`: String
    public var rng: String
  }

  public struct ProbeInputs: Sendable, Encodable {
    public var additivity_x: [Double]
    public var additivity_y: [Double]
    public var homogeneity_x: [Double]
    public var lambdas: [Double]
  }

  public struct Initial: Sendable, Encodable {
    public var apriori_error: Double?
  }

  public struct Final: Sendable, Encodable {
    public var loss: Double?
    public var apriori_error: Double?
    public var additivity_error: Double?
    /// Over `probe.lambdas`.
    public var homogeneity_error: [Double?]
    public var homogeneity_error_max: Double?
    /// At λ = −10, −1, 0.5, 2, 10, keyed by λ as written.
    public var homogeneity_error_at: [String: Double?]
  }

  public struct Model: Sendable, Encodable {
    public var name: String
    public var architecture: String
    public var formula: String
    public var eta: Double
    public var optimizer: String
    public var status: String
    public var iterations: Int
    public var initial: Initial
    public var final: Final
    /// Each named part: matrices as arrays of rows, vectors as flat arrays.
    public var parameters: [String: ParameterValue]
    public var parameter_order: [String]
    public var steps_per_second: Double
  }

  /// A named parameter part: a matrix (rows) or a vector.
  public enum ParameterValue: Sendable, Encodable {
    case matrix([[Double?]])
    case vector([Double?])
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self {
      case .matrix(let m): try c.encode(m)
      case .vector(let v): try c.encode(v)
      }
    }
  }

  public var settings: Settings
  public var A: [[Double]]
  public var xvalid: [Double]
  public var probe: ProbeInputs
  public var steps: Int
  public var elapsed_seconds: Double
  public var models: [Model]

  init(worker: SessionWorker, snapshot: SessionSnapshot) {
    let s = worker.settings
    let p = worker.problem
    settings = Settings(
      models: s.models, n: s.n, seed: s.seed, iterations: s.iterations, batch: s.batch,
      eta: s.eta, optimizer: s.optimizer.rawValue, penalty_weight: s.penaltyWeight,
      init: s.initScheme.rawValue, rng: Xoshiro256.algorithmName)
    A = (0..<s.n).map { i in Array(p.A[(i * s.n)..<((i + 1) * s.n)]) }
    xvalid = p.xvalid
    probe = ProbeInputs(
      additivity_x: p.probe.additivityX, additivity_y: p.probe.additivityY,
      homogeneity_x: p.probe.homogeneityX, lambdas: p.probe.lambdas)
    steps = snapshot.step
    elapsed_seconds = snapshot.elapsed
    models = worker.trainers.enumerated().map { i, t in
      let m = snapshot.models[i]
      let at = t.homogeneity(at: RunResult.tableLambdas)
      var named: [String: ParameterValue] = [:]
      for (name, rows) in t.architecture.layout.named(t.parameters) {
        let part = t.architecture.layout.part(named: name)!
        named[name] =
          part.isVector ? .vector(rows[0].map(finite)) : .matrix(rows.map { $0.map(finite) })
      }
      return Model(
        name: m.label, architecture: m.architecture, formula: m.formula, eta: m.eta,
        optimizer: m.optimizer, status: m.status == .diverged ? "diverged" : "done",
        iterations: m.iteration, initial: Initial(apriori_error: finite(m.initialAprioriError)),
        final: Final(
          loss: finite(m.loss), apriori_error: finite(m.aprioriError),
          additivity_error: finite(m.structure.additivity),
          homogeneity_error: m.structure.homogeneity.map(finite),
          homogeneity_error_max: finite(m.structure.maxHomogeneity),
          homogeneity_error_at: Dictionary(
            uniqueKeysWithValues: zip(RunResult.tableLambdas, at).map {
              (RunResult.lambdaKey($0.0), finite($0.1))
            })),
        parameters: named, parameter_order: t.architecture.layout.parts.map(\.name),
        steps_per_second: m.stepsPerSecond)
    }
  }

  /// "-10", "-1", "0.5", "2", "10".
  public static func lambdaKey(_ l: Double) -> String {
    l == l.rounded() ? String(Int(l)) : String(l)
  }
}

/// nil for NaN and ±∞, so JSON gets null.
@inlinable
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
