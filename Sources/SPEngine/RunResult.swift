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
    /// The target structure (`--target`).
    public var target: String
    /// The hidden width of the MLP family (n unless `--width`).
    public var width: Int
  }

  public struct ProbeInputs: Sendable, Encodable {
    public var additivity_x: [Double]
    public var additivity_y: [Double]
    public var homogeneity_x: [Double]
    public var lambdas: [Double]
  }

  public struct Initial: Sendable, Encodable {
    public var apriori_error: Double?

    enum CodingKeys: String, CodingKey { case apriori_error }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(apriori_error, forKey: .apriori_error)
    }
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
    /// The largest homogeneity error over λ > 0 of the probe grid.
    public var positive_homogeneity_error_max: Double?
    /// ‖N(0)‖.
    public var offset: Double?
    /// max over p ∈ {x, y, x_h} of ‖N(−p) + N(p)‖ / (‖N(p)‖ + ‖N(−p)‖).
    public var oddness_error: Double?
    /// max over p of |p·N(p)| / (‖p‖ ‖N(p)‖).
    public var energy_cosine: Double?
    /// max over p of |Σᵢ N(p)ᵢ| / (√n ‖N(p)‖).
    public var mass_error: Double?
    /// ReLU units never active on the probe set; null without ReLU units.
    public var dead_units: Int?
    public var relu_units: Int
    /// The measured error of each structure property (`StructureProperty` raw values).
    public var properties: [String: Double?]
    /// Whether each property reads EXACT (verdict `exact-guaranteed` or `exact`).
    public var exact: [String: Bool]
    /// Each property's defect re-evaluated in Float80 (`ModelDiagnostics.extendedDefects`).
    public var extended_defects: [String: Double?]
    /// Each property's verdict (`StructureVerdict` raw values: exact-guaranteed, exact,
    /// measured, violated, not-finite), from `ModelDiagnostics.verdict` as on the dashboard.
    public var verdicts: [String: String]

    enum CodingKeys: String, CodingKey {
      case loss, apriori_error, additivity_error, homogeneity_error, homogeneity_error_max
      case homogeneity_error_at, positive_homogeneity_error_max, offset, oddness_error
      case energy_cosine, mass_error, dead_units, relu_units, properties, exact
      case extended_defects, verdicts
    }

    /// Every key is written, a non-finite or missing value as null (synthesised encoding would
    /// leave nil out).
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(loss, forKey: .loss)
      try c.encode(apriori_error, forKey: .apriori_error)
      try c.encode(additivity_error, forKey: .additivity_error)
      try c.encode(homogeneity_error, forKey: .homogeneity_error)
      try c.encode(homogeneity_error_max, forKey: .homogeneity_error_max)
      try c.encode(homogeneity_error_at, forKey: .homogeneity_error_at)
      try c.encode(positive_homogeneity_error_max, forKey: .positive_homogeneity_error_max)
      try c.encode(offset, forKey: .offset)
      try c.encode(oddness_error, forKey: .oddness_error)
      try c.encode(energy_cosine, forKey: .energy_cosine)
      try c.encode(mass_error, forKey: .mass_error)
      try c.encode(dead_units, forKey: .dead_units)
      try c.encode(relu_units, forKey: .relu_units)
      try c.encode(properties, forKey: .properties)
      try c.encode(exact, forKey: .exact)
      try c.encode(extended_defects, forKey: .extended_defects)
      try c.encode(verdicts, forKey: .verdicts)
    }
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
    /// The structure properties the architecture guarantees by construction.
    public var guarantees: [String]
    /// Whether some parameter value of this architecture, at this width, gives N = f exactly
    /// (by a construction: `TargetKind.exactlyRepresentable`).
    public var represents_target: Bool
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
  /// f(xvalid).
  public var fvalid: [Double]
  /// The odd teacher's C1, C2, C3 (rows), for `--target odd-teacher` only.
  public var teacher: [String: [[Double]]]?
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
      init: s.initScheme.rawValue, rng: Xoshiro256.algorithmName, target: s.target.rawValue,
      width: s.hiddenWidth)
    A = (0..<s.n).map { i in Array(p.A[(i * s.n)..<((i + 1) * s.n)]) }
    xvalid = p.xvalid
    fvalid = p.fvalid
    if p.targetKind == .oddTeacher {
      teacher = Dictionary(uniqueKeysWithValues: p.teacherNetwork.layout.named(p.teacher))
    }
    probe = ProbeInputs(
      additivity_x: p.probe.additivityX, additivity_y: p.probe.additivityY,
      homogeneity_x: p.probe.homogeneityX, lambdas: p.probe.lambdas)
    steps = snapshot.step
    elapsed_seconds = snapshot.elapsed
    models = worker.slots.enumerated().map { i, slot in
      let t = slot.trainer
      let m = snapshot.models[i]
      let at = t.homogeneity(at: RunResult.tableLambdas)
      let d = m.diagnostics ?? t.diagnostics()
      let properties = StructureProperty.allCases
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
            }),
          positive_homogeneity_error_max: finite(d.positiveHomogeneity), offset: finite(d.offset),
          oddness_error: finite(d.oddness), energy_cosine: finite(d.energy),
          mass_error: finite(d.mass), dead_units: d.deadUnits, relu_units: d.reluUnits,
          properties: Dictionary(
            uniqueKeysWithValues: properties.map { ($0.rawValue, finite(d.value(of: $0))) }),
          exact: Dictionary(uniqueKeysWithValues: properties.map { ($0.rawValue, d.isExact($0)) }),
          extended_defects: Dictionary(
            uniqueKeysWithValues: properties.map {
              ($0.rawValue, d.extendedDefects[$0].flatMap(finite))
            }),
          verdicts: Dictionary(
            uniqueKeysWithValues: properties.map { ($0.rawValue, d.verdict($0).rawValue) })),
        parameters: named, parameter_order: t.architecture.layout.parts.map(\.name),
        steps_per_second: m.stepsPerSecond,
        guarantees: properties.filter(t.architecture.guarantees.contains).map(\.rawValue),
        represents_target: s.target.exactlyRepresentable(
          by: m.architecture, n: s.n, width: s.hiddenWidth))
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
