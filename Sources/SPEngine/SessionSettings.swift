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

  /// Checks every setting; the error says what was wrong and what is accepted.
  public func validate(memoryLimit: UInt64 = SessionSettings.defaultMemoryLimit) throws {
    if models.isEmpty { throw SettingsError.invalid("--models: give at least one model") }
    if let k = models.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw SettingsError.invalid("--models: model \(k + 1) of \(models.count) is an empty name")
    }
    for m in models where ArchitectureRegistry.make(m, config: .init(n: 1)) == nil {
      throw SettingsError.invalid(
        "--models: unknown model '\(m)'; known: \(ArchitectureRegistry.names.joined(separator: ", "))"
      )
    }
    if n <= 0 { throw SettingsError.invalid("--n: must be a positive integer, got \(n)") }
    if let width, width <= 0 {
      throw SettingsError.invalid("--width: must be a positive integer, got \(width)")
    }
    if n < target.minimumN {
      throw SettingsError.invalid(
        "--target \(target.rawValue): needs --n ≥ \(target.minimumN) (at n = \(n) the target is "
          + "identically zero)")
    }
    if !(eta.isFinite && eta > 0) {
      throw SettingsError.invalid("--eta: must be a finite number > 0, got \(eta)")
    }
    if batch <= 0 {
      throw SettingsError.invalid("--batch: must be a positive integer, got \(batch)")
    }
    if iterations < 0 {
      throw SettingsError.invalid(
        "--iterations: must be ≥ 0 (0 runs until stopped), got \(iterations)")
    }
    if !(penaltyWeight.isFinite && penaltyWeight >= 0) {
      throw SettingsError.invalid(
        "--penalty-weight: must be a finite number ≥ 0, got \(penaltyWeight)")
    }
    let sizes = width == nil ? "--n \(n)" : "--n \(n) --width \(hiddenWidth)"
    guard let bytes = estimatedBytes() else {
      throw SettingsError.invalid(
        "\(sizes) with --batch \(batch): too large to even count the memory it needs")
    }
    if bytes > memoryLimit {
      throw SettingsError.invalid(
        "\(sizes) with --batch \(batch): needs about \(Self.formatBytes(bytes)) for \(models.count) "
          + "models; the limit is \(Self.formatBytes(memoryLimit)) (half of this machine's memory)")
    }
  }

  /// Bytes the lineup's buffers need (parameters, gradients, optimiser state, workspaces), or nil
  /// when the count itself overflows. An upper bound over every architecture, with w the hidden
  /// width and k = max(n, w): w² + 2nw + 2w + n parameters × (θ, g, 2 Adam moments), a workspace
  /// of 32k doubles per column of the larger of the batch and the probe (≥ 109 columns; inputs,
  /// targets, the architecture's workspace and the target's), and
  /// 4n² for A, the odd teacher and slack.
  public func estimatedBytes() -> UInt64? {
    guard n > 0, hiddenWidth > 0 else { return nil }
    let n = UInt64(n)
    let w = UInt64(hiddenWidth)
    let k = max(n, w)
    let m = UInt64(max(batch, 109))
    let (ww, o1) = w.multipliedReportingOverflow(by: w)
    let (nw, o2) = n.multipliedReportingOverflow(by: w)
    let (nn, o3) = n.multipliedReportingOverflow(by: n)
    let (km, o4) = k.multipliedReportingOverflow(by: m)
    if o1 || o2 || o3 || o4 || ww > UInt64.max / 64 || nw > UInt64.max / 64 || nn > UInt64.max / 64
      || km > UInt64.max / 64
    {
      return nil
    }
    let perModel = (4 * (ww + 2 * nw + 2 * w + n)).addingReportingOverflow(32 * km + 4 * nn)
    if perModel.overflow || perModel.partialValue > UInt64.max / 8 / UInt64(max(1, models.count)) {
      return nil
    }
    return perModel.partialValue * 8 * UInt64(models.count)
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

/// A setting that cannot be used, with a one-line message naming the flag.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
  case invalid(String)
  public var description: String {
    switch self {
    case .invalid(let m): m
    }
  }
}
