import Dispatch
import Foundation
import SPKernels
import SPNumerics

/// A lineup trained over many seeds (`--seeds`): each seed is the whole session `--seed s` runs
/// alone — same problem, same models, bit for bit. The seeds go in blocks of eight (a lane
/// group: the models the lane engine takes train with their seeds side by side, `LaneTraining`;
/// the others seed by seed) to threads that each take the next block not yet started; lanes
/// never mix values, so which block or thread trains a seed never changes what it computes, and
/// the result is the same for any number of threads.
public enum Ensemble {
  /// How far a run has come: seeds finished, of `total`, and session steps done over all seeds.
  public struct Progress: Sendable {
    public var seedsDone: Int
    public var total: Int
    public var steps: Int
  }

  /// Seeds trained together by one thread.
  static let block = LaneMLP.lanes

  /// Steps a block takes between two looks at `stopped`: up to 2000 (a lane group's loads and
  /// stores, and the progress, cost little next to them). A block starts at 125 and doubles
  /// while a chunk takes less than 0.025 s of the clock; it halves while one takes more than
  /// 0.1 s, so a stop is heard within about 0.1 s on a slow or crowded machine too. The chunks
  /// never change the numbers.
  struct ChunkPace {
    static let most = 2000
    static let first = 125
    private(set) var steps = first
    mutating func took(_ seconds: Double) {
      if seconds > 0.1 {
        steps = max(1, steps / 2)
      } else if seconds < 0.025 {
        steps = min(Self.most, steps * 2)
      }
    }
  }

  /// Trains `settings` (its `seed` ignored) once per seed of `seeds` on `threads` threads (at
  /// least 1) and returns each seed's result in the order of `seeds`. `progress` is called
  /// from the training threads after every chunk of steps of a block (`ChunkPace`: 125 to 2000
  /// steps) and when a block ends; `stopped` is asked before every chunk, and once it says true
  /// every thread stops and nil is returned.
  public static func run(
    _ settings: SessionSettings, seeds: [UInt64], threads: Int,
    progress: (@Sendable (Progress) -> Void)? = nil,
    stopped: @Sendable () -> Bool = { false }
  ) -> [RunResult]? {
    let results = Locked<[RunResult?]>(Array(repeating: nil, count: seeds.count))
    let counts = Locked((seeds: 0, steps: 0))
    let blocks = (seeds.count + block - 1) / block
    let finished = Parallel.forEach(blocks, threads: threads) { b in
      let range = (b * block)..<min(seeds.count, (b + 1) * block)
      let members = range.map { k in
        var s = settings
        s.seed = seeds[k]
        return SessionWorker(settings: s)
      }
      let start = monotonicSeconds()
      var pace = ChunkPace()
      while !members[0].isDone {
        if stopped() { return false }
        let chunk = min(pace.steps, settings.iterations - members[0].step)
        let began = monotonicSeconds()
        let lanes = SessionWorker.laneSteps(chunk, members: members, threads: 1)
        for (j, m) in members.enumerated() { m.runChunk(chunk, lanes: lanes[j]) }
        pace.took(monotonicSeconds() - began)
        let c = counts.withLock { c in
          c.steps += chunk * members.count
          return c
        }
        progress?(Progress(seedsDone: c.seeds, total: seeds.count, steps: c.steps))
      }
      let elapsed = monotonicSeconds() - start
      for (k, worker) in zip(range, members) {
        var snapshot = worker.snapshot(forceStructure: true)
        snapshot.elapsed = elapsed
        let result = RunResult(worker: worker, snapshot: snapshot)
        results.withLock { $0[k] = result }
      }
      let c = counts.withLock { c in
        c.seeds += members.count
        return c
      }
      progress?(Progress(seedsDone: c.seeds, total: seeds.count, steps: c.steps))
      return true
    }
    guard finished else { return nil }
    return results.withLock { $0.map { $0! } }
  }
}

/// Summary statistics of one figure over the seeds where it is finite.
public struct SeedStatistics: Sendable, Equatable, Encodable {
  /// Seeds whose value is finite (the statistics are over these).
  public var count: Int
  public var median: Double?
  /// Quartiles with numpy's default (linear) interpolation: `numpy.quantile(x, 0.25)`.
  public var q1: Double?
  public var q3: Double?
  public var min: Double?
  public var max: Double?
  public var mean: Double?
  /// Population standard deviation (numpy's default, ddof = 0).
  public var std: Double?

  public init(_ values: [Double]) {
    let x = values.filter(\.isFinite).sorted()
    count = x.count
    guard !x.isEmpty else { return }
    median = Self.quantile(x, 0.5)
    q1 = Self.quantile(x, 0.25)
    q3 = Self.quantile(x, 0.75)
    min = x.first
    max = x.last
    // Absent when they overflow (values near the largest Double: a model about to diverge).
    let m = x.reduce(0, +) / Double(x.count)
    mean = m.isFinite ? m : nil
    let sd = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    std = sd.isFinite ? sd : nil
  }

  /// The q-quantile of sorted `x` by linear interpolation between closest ranks (numpy's
  /// default method): h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
  public static func quantile(_ x: [Double], _ q: Double) -> Double {
    let h = Double(x.count - 1) * q
    let lo = Int(h.rounded(.down))
    let hi = Swift.min(lo + 1, x.count - 1)
    return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
  }
}

/// "model < against on property in k of n seeds", with the exact two-sided sign-test p-value.
public struct SignTest: Sendable, Equatable, Encodable {
  public var model: String
  public var against: String
  /// A structure property's name (`additivity`, `homogeneity`, …) or `apriori_error`.
  public var property: String
  /// Seeds where `model`'s value is lower than `against`'s.
  public var lower_in: Int
  /// Seeds compared: both values finite and not equal (ties carry no sign).
  public var of: Int
  /// P(a count at least this far from of/2 | each sign equally likely), two-sided, exact.
  public var p_value: Double

  /// The p-value with two significant digits, as the table and the matrix show it: "4.7e-10",
  /// "0.031", "1".
  public var pText: String {
    if p_value >= 1 { return "1" }
    if p_value >= 0.001 { return String(format: "%.2g", p_value) }
    return String(format: "%.1e", p_value)
  }

  /// The two-sided exact sign-test p-value of `k` lower in `n` pairs: the probability, for a
  /// fair coin, of a count at most min(k, n − k) or at least max(k, n − k); 1 for n = 0.
  public static func pValue(lower k: Int, of n: Int) -> Double {
    guard n > 0 else { return 1 }
    let tail = Swift.min(k, n - k)
    // Σ_{i ≤ tail} C(n, i) / 2ⁿ: from 2⁻ⁿ (exact) by C(n, i) = C(n, i − 1)·(n − i + 1)/i while
    // 2⁻ⁿ is a normal number; in logs beyond (n in the thousands).
    var sum = 0.0
    if n <= 1000 {
      var term = Double(sign: .plus, exponent: -n, significand: 1)
      for i in 0...tail {
        if i > 0 { term = term * Double(n - i + 1) / Double(i) }
        sum += term
      }
    } else {
      var logC = 0.0  // log C(n, 0)
      let log2n = Double(n) * log(2.0)
      for i in 0...tail {
        if i > 0 { logC += log(Double(n - i + 1)) - log(Double(i)) }
        sum += exp(logC - log2n)
      }
    }
    return Swift.min(1, 2 * sum)
  }
}

/// The result of an ensemble run, as `sptop run --seeds --json` writes it.
public struct EnsembleResult: Sendable, Encodable {
  /// The figures summarised over seeds.
  public static let figures = [
    "apriori_error", "loss", "additivity_error", "homogeneity_error_max",
  ]

  public struct Settings: Sendable, Encodable {
    public var models: [String]
    public var n: Int
    public var seeds: [UInt64]
    public var iterations: Int
    public var batch: Int
    public var eta: Double
    public var optimizer: String
    public var penalty_weight: Double
    public var `init`: String
    public var rng: String
    public var target: String
    public var width: Int
    /// How the quartiles are computed.
    public var quantiles: String
    public var threads: Int
  }

  /// One seed of one model: the fields a single-seed model entry has, and the seed.
  public struct SeedEntry: Sendable, Encodable {
    public var seed: UInt64
    public var model: RunResult.Model

    public func encode(to encoder: any Encoder) throws {
      try model.encode(to: encoder)
      var c = encoder.container(keyedBy: Key.self)
      try c.encode(seed, forKey: .seed)
    }
    enum Key: String, CodingKey { case seed }
  }

  public struct Model: Sendable, Encodable {
    public var name: String
    public var architecture: String
    public var formula: String
    /// Seeds where the model diverged.
    public var diverged: Int
    public var seeds: [SeedEntry]
    /// For each of `EnsembleResult.figures`: its statistics over the seeds.
    public var aggregate: [String: SeedStatistics]
  }

  public var settings: Settings
  public var steps: Int
  public var elapsed_seconds: Double
  public var models: [Model]
  public var evidence: [SignTest]

  /// Summarises `results` (one per seed of `seeds`, the same lineup in each).
  public init(
    _ results: [RunResult], seeds: [UInt64], settings s: SessionSettings, threads: Int,
    elapsed: Double
  ) {
    settings = Settings(
      models: s.models, n: s.n, seeds: seeds, iterations: s.iterations, batch: s.batch,
      eta: s.eta, optimizer: s.optimizer.rawValue, penalty_weight: s.penaltyWeight,
      init: s.initScheme.rawValue, rng: Xoshiro256.algorithmName, target: s.target.rawValue,
      width: s.hiddenWidth,
      quantiles: "linear interpolation between closest ranks (numpy.quantile's default)",
      threads: threads)
    steps = results.first?.steps ?? 0
    elapsed_seconds = elapsed
    let count = results.first?.models.count ?? 0
    models = (0..<count).map { i in
      let entries = zip(seeds, results).map { SeedEntry(seed: $0, model: $1.models[i]) }
      let first = results[0].models[i]
      var aggregate: [String: SeedStatistics] = [:]
      for f in Self.figures {
        // A diverged seed's last finite figures say nothing of the model: left out, counted.
        aggregate[f] = SeedStatistics(
          entries.map { $0.model.status == "diverged" ? .nan : Self.value(f, of: $0.model) ?? .nan }
        )
      }
      return Model(
        name: first.name, architecture: first.architecture, formula: first.formula,
        diverged: entries.filter { $0.model.status == "diverged" }.count, seeds: entries,
        aggregate: aggregate)
    }
    evidence = Self.evidence(models)
  }

  /// A final figure of one seed's model (`apriori_error`, `loss`, `additivity_error`,
  /// `homogeneity_error_max`, or a structure property's name); nil when not finite.
  public static func value(_ figure: String, of m: RunResult.Model) -> Double? {
    switch figure {
    case "apriori_error": m.final.apriori_error
    case "loss": m.final.loss
    case "additivity_error": m.final.additivity_error
    case "homogeneity_error_max": m.final.homogeneity_error_max
    default: m.final.properties[figure] ?? nil
    }
  }

  /// The properties the evidence compares: every structure property, then the a-priori error.
  public static let evidenceProperties =
    StructureProperty.allCases.map(\.rawValue) + ["apriori_error"]

  /// Every non-vanilla model against the first vanilla one, seed by seed, on each property.
  static func evidence(_ models: [Model]) -> [SignTest] {
    SignTest.evidence(
      names: models.map(\.name), architectures: models.map(\.architecture),
      seeds: models.first?.seeds.count ?? 0
    ) { i, k, p in value(p, of: models[i].seeds[k].model) }
  }
}

extension SignTest {
  /// For every model of an architecture other than vanilla, against the first vanilla model:
  /// on each of `EnsembleResult.evidenceProperties`, in how many of the `seeds` its value
  /// (`value(model, seed, property)`, nil when not finite) is lower, of the seeds where both are
  /// finite and differ, and the exact sign test. Empty without a vanilla model.
  public static func evidence(
    names: [String], architectures: [String], seeds: Int,
    value: (_ model: Int, _ seed: Int, _ property: String) -> Double?
  ) -> [SignTest] {
    guard let base = architectures.firstIndex(of: ArchitectureName.vanilla.rawValue) else {
      return []
    }
    var out: [SignTest] = []
    for i in names.indices where architectures[i] != architectures[base] {
      for p in EnsembleResult.evidenceProperties {
        var lower = 0
        var compared = 0
        for k in 0..<seeds {
          guard let x = value(i, k, p), let y = value(base, k, p), x != y else { continue }
          compared += 1
          if x < y { lower += 1 }
        }
        out.append(
          SignTest(
            model: names[i], against: names[base], property: p, lower_in: lower, of: compared,
            p_value: pValue(lower: lower, of: compared)))
      }
    }
    return out
  }
}
