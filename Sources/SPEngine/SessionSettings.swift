import Foundation
import SPNumerics

/// Everything that defines a training session; the same for `sptop run` and the dashboard.
public struct SessionSettings: Sendable, Hashable, Codable {
  public var models: [String]
  public var n: Int
  public var seed: UInt64
  public var eta: Double
  public var batch: Int
  /// Session steps to run; 0 runs until stopped.
  public var iterations: Int
  public var optimizer: OptimizerKind
  public var penaltyWeight: Double
  public var initScheme: InitScheme
  /// What the models imitate (`--target`).
  public var target: TargetKind
  /// Hidden width of the MLP family (`--width`); nil means n.
  public var width: Int?

  public static let defaultModels = ["vanilla", "penalized", "linear"]

  public init(
    models: [String] = SessionSettings.defaultModels, n: Int = 5, seed: UInt64 = 1,
    eta: Double = 0.001, batch: Int = 20, iterations: Int = 5000, optimizer: OptimizerKind = .sgd,
    penaltyWeight: Double = 1, initScheme: InitScheme = .randn, target: TargetKind = .general,
    width: Int? = nil
  ) {
    self.models = models
    self.n = n
    self.seed = seed
    self.eta = eta
    self.batch = batch
    self.iterations = iterations
    self.optimizer = optimizer
    self.penaltyWeight = penaltyWeight
    self.initScheme = initScheme
    self.target = target
    self.width = width
  }

  enum CodingKeys: String, CodingKey {
    case models, n, seed, eta, batch, iterations, optimizer, target, width
    case penaltyWeight = "penalty_weight"
    case initScheme = "init"
  }

  /// Settings written before `target` and `width` existed read as `general` and n.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      models: try c.decode([String].self, forKey: .models), n: try c.decode(Int.self, forKey: .n),
      seed: try c.decode(UInt64.self, forKey: .seed), eta: try c.decode(Double.self, forKey: .eta),
      batch: try c.decode(Int.self, forKey: .batch),
      iterations: try c.decode(Int.self, forKey: .iterations),
      optimizer: try c.decode(OptimizerKind.self, forKey: .optimizer),
      penaltyWeight: try c.decode(Double.self, forKey: .penaltyWeight),
      initScheme: try c.decode(InitScheme.self, forKey: .initScheme),
      target: try c.decodeIfPresent(TargetKind.self, forKey: .target) ?? .general,
      width: try c.decodeIfPresent(Int.self, forKey: .width))
  }

  /// The hidden width of the MLP family: `width`, or n when not given.
  public var hiddenWidth: Int { width ?? n }

  /// The architecture configuration every model of the lineup is built from.
  public var architectureConfig: ArchitectureConfig {
    ArchitectureConfig(n: n, width: hiddenWidth, penaltyWeight: penaltyWeight)
  }

  /// Names shown for the lineup: the architecture name, with "#2", "#3" for repeats.
  public var modelLabels: [String] { Lineup(architectures: models).entries.map(\.label) }

  /// Checks every setting; the error says which setting was wrong and what it accepts.
  public func validate(memoryLimit: UInt64 = SessionSettings.defaultMemoryLimit)
    throws(SettingsError)
  {
    if models.isEmpty { throw .noModels }
    if let k = models.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw .emptyModelName(position: k + 1, count: models.count)
    }
    if let m = models.first(where: { ArchitectureName(rawValue: $0) == nil }) {
      throw .unknownModel(m)
    }
    if n <= 0 { throw .notPositive(.n, n) }
    if let width, width <= 0 { throw .notPositive(.width, width) }
    if n < target.minimumN { throw .targetNeedsLargerN(target, n: n) }
    if !(eta.isFinite && eta > 0) { throw .notPositiveNumber(.eta, eta) }
    if batch <= 0 { throw .notPositive(.batch, batch) }
    if iterations < 0 { throw .negative(.iterations, iterations) }
    if !(penaltyWeight.isFinite && penaltyWeight >= 0) {
      throw .negativeNumber(.penaltyWeight, penaltyWeight)
    }
    guard let bytes = estimatedBytes() else {
      throw .tooLargeToCount(n: n, width: width, batch: batch)
    }
    if bytes > memoryLimit {
      throw .tooLarge(
        n: n, width: width, batch: batch, bytes: bytes, models: models.count, limit: memoryLimit)
    }
  }

  /// Bytes the session's buffers need, or nil when the count itself overflows: each model's
  /// from its registry entry (`ArchitectureEntry.estimatedBytes`: parameters, gradient and
  /// optimiser state, workspaces, the trainer's buffers), and once the problem's (A, the odd
  /// teacher, slack: 4n² doubles). Names the registry does not know count nothing.
  public func estimatedBytes() -> UInt64? {
    guard n > 0 else { return nil }
    let (nn, overflow) = UInt64(n).multipliedReportingOverflow(by: UInt64(n))
    guard !overflow, nn <= UInt64.max / 32 else { return nil }
    var total = 32 * nn
    for name in models {
      guard let entry = ArchitectureRegistry.entry(named: name) else { continue }
      guard
        let bytes = entry.estimatedBytes(
          architectureConfig, batch: batch, optimizer: optimizer, target: target)
      else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(bytes)
      if overflow { return nil }
      total = sum
    }
    return total
  }

  public static var defaultMemoryLimit: UInt64 { ProcessInfo.processInfo.physicalMemory / 2 }

  static func formatBytes(_ b: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var v = Double(b)
    var u = 0
    while v >= 1024 && u < units.count - 1 {
      v /= 1024
      u += 1
    }
    return u == 0 ? "\(b) B" : String(format: "%.1f", v) + " " + units[u]
  }
}

/// One of the settings of `SessionSettings`, apart from where it was given (a flag, a
/// configuration key, a session log's header); its raw value is its key in a log's header.
public enum Setting: String, CaseIterable, Sendable {
  case models, n, seed, eta, batch, iterations, optimizer
  case penaltyWeight = "penalty_weight"
  case initScheme = "init"
  case target, width
}

/// Settings that cannot be used: which setting, and what it accepts. `message(naming:)` says it
/// in one line with each setting named as the caller's user knows it (the command line names
/// flags); `description` names the settings themselves.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
  case noModels
  case emptyModelName(position: Int, count: Int)
  case unknownModel(String)
  /// n, width, batch: an integer that must be > 0.
  case notPositive(Setting, Int)
  /// eta: a number that must be finite and > 0.
  case notPositiveNumber(Setting, Double)
  /// iterations: an integer that must be ≥ 0.
  case negative(Setting, Int)
  /// penalty weight: a number that must be finite and ≥ 0.
  case negativeNumber(Setting, Double)
  case targetNeedsLargerN(TargetKind, n: Int)
  /// The memory estimate overflows.
  case tooLargeToCount(n: Int, width: Int?, batch: Int)
  /// The memory estimate exceeds the limit.
  case tooLarge(n: Int, width: Int?, batch: Int, bytes: UInt64, models: Int, limit: UInt64)

  /// The setting the message starts with.
  public var setting: Setting {
    switch self {
    case .noModels, .emptyModelName, .unknownModel: .models
    case .notPositive(let s, _), .notPositiveNumber(let s, _), .negative(let s, _),
      .negativeNumber(let s, _):
      s
    case .targetNeedsLargerN: .target
    case .tooLargeToCount, .tooLarge: .n
    }
  }

  /// The one-line message, each setting named by `name` ("--eta: must be a finite number > 0,
  /// got -1" with flags).
  public func message(naming name: (Setting) -> String) -> String {
    switch self {
    case .noModels:
      return "\(name(.models)): give at least one model"
    case .emptyModelName(let k, let count):
      return "\(name(.models)): model \(k) of \(count) is an empty name"
    case .unknownModel(let m):
      return "\(name(.models)): unknown model '\(m)'; known: "
        + ArchitectureRegistry.names.joined(separator: ", ")
    case .notPositive(let s, let value):
      return "\(name(s)): must be a positive integer, got \(value)"
    case .notPositiveNumber(let s, let value):
      return "\(name(s)): must be a finite number > 0, got \(value)"
    case .negative(let s, let value):
      let note = s == .iterations ? " (0 runs until stopped)" : ""
      return "\(name(s)): must be ≥ 0\(note), got \(value)"
    case .negativeNumber(let s, let value):
      return "\(name(s)): must be a finite number ≥ 0, got \(value)"
    case .targetNeedsLargerN(let target, let n):
      return "\(name(.target)) \(target.rawValue): needs \(name(.n)) ≥ \(target.minimumN) (at "
        + "n = \(n) the target is identically zero)"
    case .tooLargeToCount(let n, let width, let batch):
      return "\(Self.sizes(n, width, batch, name)): too large to even count the memory it needs"
    case .tooLarge(let n, let width, let batch, let bytes, let models, let limit):
      return "\(Self.sizes(n, width, batch, name)): needs about "
        + "\(SessionSettings.formatBytes(bytes)) for \(models) models; the limit is "
        + "\(SessionSettings.formatBytes(limit)) (half of this machine's memory)"
    }
  }

  /// "--n 5 --width 9 with --batch 20" (the width only when it was given).
  static func sizes(_ n: Int, _ width: Int?, _ batch: Int, _ name: (Setting) -> String)
    -> String
  {
    let w = width.map { " \(name(.width)) \($0)" } ?? ""
    return "\(name(.n)) \(n)\(w) with \(name(.batch)) \(batch)"
  }

  /// The message with each setting named by its key ("eta: must be a finite number > 0, …").
  public var description: String { message(naming: \.rawValue) }
}
