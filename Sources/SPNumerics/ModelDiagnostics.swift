/// A structure property a model can have for every input (and that an architecture can
/// guarantee by construction).
public enum StructureProperty: String, CaseIterable, Sendable, Codable {
  /// N(x + y) = N(x) + N(y).
  case additivity
  /// N(λx) = λ N(x) for every real λ.
  case homogeneity
  /// N(λx) = λ N(x) for λ ≥ 0 (so N(0) = 0).
  case positiveHomogeneity = "positive-homogeneity"
  /// N(−x) = −N(x).
  case oddness
  /// x·N(x) = 0: the flow dx/dt = N(x) conserves ‖x‖².
  case energy
  /// Σᵢ N(x)ᵢ = 0: the flow dx/dt = N(x) conserves Σᵢ xᵢ.
  case mass
}

/// What the structure matrix (the dashboard's `m` view, `sptop run`'s table and JSON) says about
/// one property of one model. One function decides it: `ModelDiagnostics.verdict`.
public enum StructureVerdict: String, CaseIterable, Sendable, Codable {
  /// Guaranteed by the architecture, and its defect re-evaluated in Float80 is at most
  /// `ModelDiagnostics.verdictThreshold`: ✓ EXACT.
  case guaranteedExact = "exact-guaranteed"
  /// Not guaranteed, yet its Float80 defect is at most the threshold: EXACT.
  case exact
  /// Not guaranteed and not exact: the measured (float64) value.
  case measured
  /// Guaranteed, yet its Float80 defect is above the threshold: ✗, a bug in the architecture.
  case violated
  /// The float64 value is NaN or ±∞ (a diverged model whose outputs overflow, or a zero
  /// denominator) and Float80 shows no violation of a guarantee: "—", never ✗ and never EXACT.
  case notFinite = "not-finite"
}

/// Every diagnostic of one model on the problem's fixed probe inputs, from one batched forward
/// pass (`probeMatrix`, L + 9 columns for L λ values).
///
/// Probe inputs: the additivity pair x, y; the homogeneity input x_h; the λ grid; xvalid. The
/// relative errors, each a number ≥ 0 that is 0 exactly when the property holds at the probe:
/// - a-priori error: ‖N(xvalid) − f(xvalid)‖ / ‖f(xvalid)‖ (the target is nonzero at xvalid:
///   targets that vanish identically at n = 1 are refused).
/// - additivity (the seed's): ‖N(x + y) − N(x) − N(y)‖ / ‖N(x) + N(y)‖.
/// - homogeneity at λ (the seed's): ‖N(λx_h) − λ N(x_h)‖ / ‖λ N(x_h)‖, for every λ ≠ 0 of the
///   grid (NaN, JSON null, at λ = 0: there the error is the offset, reported on its own);
///   `homogeneity` is the largest over λ ≠ 0, `positiveHomogeneity` the largest over λ > 0.
/// - offset: ‖N(0)‖, absolute (positive homogeneity implies N(0) = 0).
/// - oddness: max over p ∈ {x, y, x_h} of ‖N(−p) + N(p)‖ / (‖N(p)‖ + ‖N(−p)‖), in [0, 1].
/// - energy cosine: max over p of |p·N(p)| / (‖p‖ ‖N(p)‖), in [0, 1].
/// - mass: max over p of |Σᵢ N(p)ᵢ| / (√n ‖N(p)‖), in [0, 1].
/// - dead units: ReLU units whose output is 0 on every probe input above and at 0, −x, −y, −x_h
///   (nil for architectures without ReLU units).
///
/// The probe inputs are random and nonzero and λ = 0 is skipped, so a denominator vanishes only
/// where the model's own output does: for oddness, energy and mass the numerator then vanishes
/// too and the ratio is 0 (the property holds trivially); for the seed's additivity and
/// homogeneity a zero denominator gives 0 when the numerator is 0 as well and +∞ otherwise.
public struct ModelDiagnostics: Hashable, Sendable {
  /// The problem size.
  public var n: Int
  public var aprioriError: Double
  /// Additivity and the homogeneity curve over the probe's λ grid (the seed's definitions).
  public var structure: StructureMetrics
  /// The largest homogeneity error over λ ≠ 0.
  public var homogeneity: Double
  /// The largest homogeneity error over λ > 0.
  public var positiveHomogeneity: Double
  /// ‖N(0)‖.
  public var offset: Double
  public var oddness: Double
  public var energy: Double
  public var mass: Double
  /// ReLU units never active on the probe set; nil without ReLU units.
  public var deadUnits: Int?
  /// ReLU units in all (0 without).
  public var reluUnits: Int
  /// The properties the model's architecture guarantees by construction.
  public var guarantees: Set<StructureProperty>
  /// Each property's defect (the same definition as `value(of:)`) computed in Float80 from the
  /// model's Double parameters (`Architecture.evaluateExtended`); empty when not evaluated.
  public var extendedDefects: [StructureProperty: Double]

  public init(
    n: Int, aprioriError: Double, structure: StructureMetrics, homogeneity: Double,
    positiveHomogeneity: Double, offset: Double, oddness: Double, energy: Double, mass: Double,
    deadUnits: Int?, reluUnits: Int, guarantees: Set<StructureProperty> = [],
    extendedDefects: [StructureProperty: Double] = [:]
  ) {
    self.guarantees = guarantees
    self.extendedDefects = extendedDefects
    self.n = n
    self.aprioriError = aprioriError
    self.structure = structure
    self.homogeneity = homogeneity
    self.positiveHomogeneity = positiveHomogeneity
    self.offset = offset
    self.oddness = oddness
    self.energy = energy
    self.mass = mass
    self.deadUnits = deadUnits
    self.reluUnits = reluUnits
  }

  /// A property's defect re-evaluated in Float80 at or below this reads EXACT; a guaranteed one
  /// above it reads ✗. See README, "The structure verdict", for the margins measured on both
  /// sides.
  public static let verdictThreshold = 1e-15

  /// The verdict of the structure matrix, from the float64 value shown, the Float80 defect
  /// (nil: not evaluated) and whether the architecture guarantees the property:
  /// - guaranteed and a Float80 defect above the threshold (∞ included): violated (✗), whatever
  ///   the float64 value, since the Float80 evaluation is what the verdict rests on;
  /// - otherwise a non-finite float64 value: notFinite ("—");
  /// - a Float80 defect at or below the threshold: guaranteedExact (✓ EXACT) or exact (EXACT);
  /// - otherwise measured (the value), also when no Float80 defect is known.
  public static func verdict(value: Double, extendedDefect: Double?, guaranteed: Bool)
    -> StructureVerdict
  {
    if guaranteed, let d = extendedDefect, d > verdictThreshold { return .violated }
    if !value.isFinite { return .notFinite }
    if let d = extendedDefect, d <= verdictThreshold {
      return guaranteed ? .guaranteedExact : .exact
    }
    return .measured
  }

  /// The verdict on one property of this model (see the static `verdict`).
  public func verdict(_ property: StructureProperty) -> StructureVerdict {
    Self.verdict(
      value: value(of: property), extendedDefect: extendedDefects[property],
      guaranteed: guarantees.contains(property))
  }

  /// The measured error of a property: additivity, the largest homogeneity error over λ ≠ 0
  /// (positive homogeneity: λ > 0), oddness, energy cosine, mass.
  public func value(of property: StructureProperty) -> Double {
    switch property {
    case .additivity: structure.additivity
    case .homogeneity: homogeneity
    case .positiveHomogeneity: positiveHomogeneity
    case .oddness: oddness
    case .energy: energy
    case .mass: mass
    }
  }

  /// Whether the property reads EXACT (guaranteed or not).
  public func isExact(_ property: StructureProperty) -> Bool {
    let v = verdict(property)
    return v == .guaranteedExact || v == .exact
  }

  /// Columns of the probe matrix for `lambdaCount` λ values.
  public static func probeColumns(lambdaCount: Int) -> Int { lambdaCount + 9 }

  /// Probe columns (n × (L + 9), feature-major): x, y, x + y, x_h, λ_k·x_h for every λ (the
  /// layout of `StructureMetrics.probeMatrix`), then 0, −x, −y, −x_h, xvalid; in Double, or in
  /// Float80 for the verdict's re-evaluation (x + y and λ·x_h then formed in Float80, not rounded
  /// to float64 first).
  public static func probeMatrix<T: BinaryFloatingPoint>(
    _ problem: Problem, as _: T.Type = Double.self
  ) -> [T] {
    let n = problem.n
    let probe = problem.probe
    let L = probe.lambdas.count
    let cols = probeColumns(lambdaCount: L)
    var P: [T] = StructureMetrics.probeMatrix(probe, n: n, columns: cols)
    for i in 0..<n {
      let row = i * cols
      P[row + L + 4] = 0
      P[row + L + 5] = -T(probe.additivityX[i])
      P[row + L + 6] = -T(probe.additivityY[i])
      P[row + L + 7] = -T(probe.homogeneityX[i])
      P[row + L + 8] = T(problem.xvalid[i])
    }
    return P
  }

  /// The diagnostics from Y = NN(probeMatrix(problem)) and the activity of the model's
  /// `reluUnits` units over the same columns (nil `active` or 0 units: no dead-unit count).
  public static func from(
    outputs Y: UnsafePointer<Double>, problem: Problem, active: UnsafePointer<Bool>?,
    reluUnits: Int
  ) -> ModelDiagnostics {
    let n = problem.n
    let lambdas = problem.probe.lambdas
    let L = lambdas.count
    let cols = probeColumns(lambdaCount: L)
    let structure = StructureMetrics.from(outputs: Y, n: n, lambdas: lambdas, columns: cols)
    func column(_ c: Int) -> [Double] { (0..<n).map { Y[$0 * cols + c] } }
    func norm(_ v: [Double]) -> Double {
      v.withUnsafeBufferPointer { Kernels.norm($0.baseAddress!, v.count) }
    }
    var hom = 0.0
    var pos = 0.0
    for (k, l) in lambdas.enumerated() where l != 0 {
      let e = structure.homogeneity[k]
      hom = e.isNaN || hom.isNaN ? .nan : max(hom, e)
      if l > 0 { pos = e.isNaN || pos.isNaN ? .nan : max(pos, e) }
    }
    let inputs = [problem.probe.additivityX, problem.probe.additivityY, problem.probe.homogeneityX]
    let at = [0, 1, 3]
    let negated = [L + 5, L + 6, L + 7]
    var odd = 0.0
    var energy = 0.0
    var mass = 0.0
    func worst(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : max(a, b) }
    for j in 0..<3 {
      let p = inputs[j]
      let np = column(at[j])
      let nm = column(negated[j])
      let size = norm(np)
      odd = worst(
        odd, StructureMetrics.relative(norm(zip(np, nm).map(+)), size + norm(nm)))
      let dot = p.withUnsafeBufferPointer { a in
        np.withUnsafeBufferPointer { b in Kernels.dot(a.baseAddress!, b.baseAddress!, n) }
      }
      energy = worst(energy, StructureMetrics.relative(abs(dot), norm(p) * size))
      let sum = np.withUnsafeBufferPointer { Kernels.sum($0.baseAddress!, n) }
      mass = worst(mass, StructureMetrics.relative(abs(sum), Double(n).squareRoot() * size))
    }
    let fvalid = problem.fvalid
    let apriori = StructureMetrics.relative(
      norm(column(L + 8).enumerated().map { $1 - fvalid[$0] }), norm(fvalid))
    var dead: Int?
    if let active, reluUnits > 0 {
      dead = (0..<reluUnits).filter { !active[$0] }.count
    }
    return ModelDiagnostics(
      n: n, aprioriError: apriori, structure: structure, homogeneity: hom,
      positiveHomogeneity: pos, offset: norm(column(L + 4)), oddness: odd, energy: energy,
      mass: mass, deadUnits: dead, reluUnits: reluUnits)
  }
}
