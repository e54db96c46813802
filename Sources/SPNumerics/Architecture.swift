/// How the entries of a fresh parameter vector are drawn.
public enum InitScheme: String, CaseIterable, Sendable, Codable {
  /// Every entry ~ N(0, 1), as in the seed experiment.
  case randn
  /// Matrices ~ N(0, 1/n) (randn/√n), biases ~ N(0, 1): what larger n needs to train at all.
  case scaled
}

/// What every architecture is built from: the problem size and the loss settings.
public struct ArchitectureConfig: Hashable, Sendable {
  public var n: Int
  /// Weight w of the homogeneity penalty for architectures trained with one.
  public var penaltyWeight: Double

  public init(n: Int, penaltyWeight: Double = 1) {
    self.n = n
    self.penaltyWeight = penaltyWeight
  }
}

/// A model architecture: a configuration value (sizes, loss), never a holder of weights.
///
/// Batches are feature-major (see `Kernels`): `X` is n×m with one sample per column. Workspaces
/// are caller-owned scratch memory of `workspaceSize(batch:)` doubles, so a training step never
/// allocates. Adding an architecture is one new file conforming to this protocol plus one line in
/// `ArchitectureRegistry`.
public protocol Architecture: Sendable {
  /// The name used on the command line and in output (`vanilla`, `linear`, …).
  var name: String { get }
  /// A one-line formula for people, e.g. "B3 σ(B2 σ(B1 x + b1) + b2) + b3".
  var formula: String { get }
  var n: Int { get }
  var layout: ParameterLayout { get }

  /// Scratch doubles needed to evaluate `m` inputs or to take the gradient over a batch of `m`.
  func workspaceSize(batch m: Int) -> Int

  /// Draws fresh parameters into `p` (layout.count doubles).
  func initialize(_ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256)

  /// Y = NN(X) for the m columns of X.
  func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>)

  /// The training objective averaged over the m samples in X with targets F = f(X), and its
  /// gradient with respect to the parameters written (not added) to `grad`. Architectures whose
  /// loss is stochastic beyond X (the penalty's λ) draw from `rng`.
  func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double
}

extension Architecture {
  /// Shared initialisation: matrices (2-D parts) and vectors drawn in layout order.
  public func initializeParts(
    _ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256
  ) {
    for part in layout.parts {
      let scale: Double =
        (scheme == .scaled && !part.isVector) ? 1 / Double(part.columns).squareRoot() : 1
      for i in part.range { p[i] = rng.normal() * scale }
    }
  }
}

/// Every architecture sptop knows, by name. One line per architecture.
public enum ArchitectureRegistry {
  public static let builders:
    [(name: String, make: @Sendable (ArchitectureConfig) -> any Architecture)] = [
      ("vanilla", { VanillaMLP(n: $0.n) }),
      ("penalized", { PenalizedMLP(n: $0.n, weight: $0.penaltyWeight) }),
      ("linear", { LinearModel(n: $0.n) }),
    ]

  public static var names: [String] { builders.map(\.name) }

  public static func make(_ name: String, config: ArchitectureConfig) -> (any Architecture)? {
    builders.first { $0.name == name }?.make(config)
  }
}
