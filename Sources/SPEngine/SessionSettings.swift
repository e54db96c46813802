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

  public static let defaultModels = ["vanilla", "penalized", "linear"]

  public init(
    models: [String] = SessionSettings.defaultModels, n: Int = 5, seed: UInt64 = 1,
    eta: Double = 0.001, batch: Int = 20, iterations: Int = 5000, optimizer: OptimizerKind = .sgd,
    penaltyWeight: Double = 1, initScheme: InitScheme = .randn
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
  }

  enum CodingKeys: String, CodingKey {
    case models, n, seed, eta, batch, iterations, optimizer
    case penaltyWeight = "penalty_weight"
    case initScheme = "init"
  }

  /// Names shown for the lineup: the architecture name, with "#2", "#3" for repeats.
  public var modelLabels: [String] {
    var seen: [String: Int] = [:]
    return models.map { m in
      let k = (seen[m] ?? 0) + 1
      seen[m] = k
      return k == 1 ? m : "\(m)#\(k)"
    }
  }

  /// Checks every setting; the error says what was wrong and what is accepted.
  public func validate(memoryLimit: UInt64 = SessionSettings.defaultMemoryLimit) throws {
    if models.isEmpty { throw SettingsError.invalid("--models: give at least one model") }
    for m in models where ArchitectureRegistry.make(m, config: .init(n: 1)) == nil {
      throw SettingsError.invalid(
        "--models: unknown model '\(m)'; known: \(ArchitectureRegistry.names.joined(separator: ", "))"
      )
    }
    if n <= 0 { throw SettingsError.invalid("--n: must be a positive integer, got \(n)") }
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
    guard let bytes = estimatedBytes() else {
      throw SettingsError.invalid(
        "--n \(n) with --batch \(batch): too large to even count the memory it needs")
    }
    if bytes > memoryLimit {
      throw SettingsError.invalid(
        "--n \(n) with --batch \(batch): needs about \(Self.formatBytes(bytes)) for \(models.count) "
          + "models; the limit is \(Self.formatBytes(memoryLimit)) (half of this machine's memory)")
    }
  }

  /// Bytes the lineup's buffers need (parameters, gradients, optimiser state, workspaces), or nil
  /// when the count itself overflows.
  public func estimatedBytes() -> UInt64? {
    let n = UInt64(n)
    let m = UInt64(max(batch, 104))
    let (nn, o1) = n.multipliedReportingOverflow(by: n)
    let (nm, o2) = n.multipliedReportingOverflow(by: m)
    if o1 || o2 { return nil }
    // Per model: 3n²+3n parameters × (θ, g, 2 Adam moments) + 14nm workspace + A and slack.
    let perModel = (4 * (3 * nn + 3 * n)).addingReportingOverflow(14 * nm + nn)
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
