/// How the entries of a fresh parameter vector are drawn.
public enum InitScheme: String, CaseIterable, Sendable, Codable {
  /// Every entry ~ N(0, 1), as in the seed experiment.
  case randn
  /// Matrices ~ N(0, 1/fan-in) (randn/√columns), biases ~ N(0, 1): what larger n needs to train.
  case scaled
  /// He et al.: matrices ~ N(0, 2/fan-in) (randn·√(2/columns)), biases 0 (not drawn).
  case he
}

/// What every architecture is built from: the problem size, the hidden width and the loss
/// settings.
public struct ArchitectureConfig: Hashable, Sendable {
  public var n: Int
  /// Hidden width of the MLP family (`--width`, default n): B1 is width×n, B2 width×width and
  /// B3 n×width. Architectures without hidden layers ignore it.
  public var width: Int
  /// Weight w of the homogeneity penalty for architectures trained with one.
  public var penaltyWeight: Double

  public init(n: Int, width: Int? = nil, penaltyWeight: Double = 1) {
    self.n = n
    self.width = width ?? n
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
  /// The structure properties that hold by construction, for every parameter value (to
  /// rounding); the structure matrix shows them as guaranteed and the tests check them.
  var guarantees: Set<StructureProperty> { get }
  /// ReLU units per evaluation (their count for the dead-unit diagnostic); 0 when there are none.
  var reluUnits: Int { get }

  /// Scratch doubles needed to evaluate `m` inputs or to take the gradient over a batch of `m`.
  func workspaceSize(batch m: Int) -> Int

  /// Draws fresh parameters into `p` (layout.count doubles).
  func initialize(_ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256)

  /// Y = NN(X) for the m columns of X.
  func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>)

  /// Y = NN(X) as `evaluate`, and sets `active[u] = true` for every ReLU unit u (0..<reluUnits)
  /// whose output is positive for at least one of the m inputs; other entries are left as they
  /// are. Architectures without ReLU units only evaluate.
  func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>)

  /// Y = NN(X) for the m columns of X (n×m, feature-major) with every operation in Float80, for
  /// the same Double parameters: the reference the structure verdict is computed from (see
  /// `ModelDiagnostics.verdict`). Not on the training path; it may allocate. It must compute the
  /// same function as `evaluate` (tested to 1e-12 for every registered architecture).
  func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>)

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
  public var reluUnits: Int { 0 }

  /// Draws every part in layout order (`initializeParts`); an architecture with its own rule
  /// implements `initialize` itself.
  public func initialize(
    _ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256
  ) {
    initializeParts(p, scheme: scheme, rng: &rng)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    evaluate(p, X, m: m, into: Y, workspace: workspace)
  }

  /// Shared initialisation, parts in layout order: matrices (2-D parts) randn, randn/√columns
  /// (scaled) or randn·√(2/columns) (he); vectors randn, or 0 without drawing (he).
  public func initializeParts(
    _ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256
  ) {
    for part in layout.parts {
      if scheme == .he && part.isVector {
        for i in part.range { p[i] = 0 }
        continue
      }
      let scale: Double =
        switch scheme {
        case .randn: 1
        case .scaled: part.isVector ? 1 : 1 / Double(part.columns).squareRoot()
        case .he: (2 / Double(part.columns)).squareRoot()
        }
      for i in part.range { p[i] = rng.normal() * scale }
    }
  }
}

/// What the dashboard does with an architecture's models: the baseline (the seed's vanilla MLP)
/// is what the λ panel compares every structured model with.
public enum ArchitectureRole: Sendable, Hashable {
  case baseline
  case structured
}

/// The architectures sptop knows, in the registry's order (`ArchitectureRegistry.entries`): the
/// names of `--models`, of the session log and of the themes' series.
public enum ArchitectureName: String, CaseIterable, Sendable, Codable {
  case vanilla, penalized, linear
  case penalizedScaled = "penalized-scaled"
  case biasfree, odd, skew, mass
}

/// Everything sptop knows of one architecture apart from the architecture itself: its name, how
/// to build it, which targets it can represent exactly and from which width (the constructions
/// are in the architectures' comments), and its role on screen. Its guarantees are the built
/// architecture's `guarantees`; its memory, `estimatedBytes` (from the built architecture's
/// parameter count and workspace).
public struct ArchitectureEntry: Sendable {
  public let name: ArchitectureName
  public let make: @Sendable (ArchitectureConfig) -> any Architecture
  /// Whether some parameters give N = f exactly for the target at size n and hidden width w.
  public let represents: @Sendable (_ target: TargetKind, _ n: Int, _ width: Int) -> Bool
  public let role: ArchitectureRole

  public init(
    _ name: ArchitectureName, role: ArchitectureRole = .structured,
    represents: @escaping @Sendable (_ target: TargetKind, _ n: Int, _ width: Int) -> Bool,
    make: @escaping @Sendable (ArchitectureConfig) -> any Architecture
  ) {
    self.name = name
    self.make = make
    self.represents = represents
    self.role = role
  }
}

/// Every architecture sptop knows: one entry per `ArchitectureName`, in its order. Tests
/// enumerate it, so a new entry is gradient-checked, guarantee-checked and recomputed with numpy
/// without being listed anywhere else.
public enum ArchitectureRegistry {
  /// The seed's MLP and its relatives represent a linear map exactly from width 2n
  /// (x = σ(x) − σ(−x)), and so the even target |x| (the teacher network needs the same).
  @Sendable static func mlpFamily(_ target: TargetKind, _ n: Int, _ w: Int) -> Bool { w >= 2 * n }

  public static let entries: [ArchitectureEntry] = [
    ArchitectureEntry(.vanilla, role: .baseline, represents: mlpFamily) {
      VanillaMLP(n: $0.n, width: $0.width)
    },
    ArchitectureEntry(.penalized, represents: mlpFamily) {
      PenalizedMLP(n: $0.n, width: $0.width, weight: $0.penaltyWeight)
    },
    ArchitectureEntry(.linear, represents: { t, _, _ in t != .even && t != .oddTeacher }) {
      LinearModel(n: $0.n)
    },
    ArchitectureEntry(.penalizedScaled, represents: mlpFamily) {
      PenalizedMLP(n: $0.n, width: $0.width, weight: $0.penaltyWeight, scaling: .inverseSquare)
    },
    ArchitectureEntry(.biasfree, represents: mlpFamily) { BiasFreeMLP(n: $0.n, width: $0.width) },
    ArchitectureEntry(.odd, represents: { t, n, w in t != .even && w >= n }) {
      OddMLP(n: $0.n, width: $0.width)
    },
    ArchitectureEntry(.skew, represents: { t, _, _ in t == .skew }) { SkewLinear(n: $0.n) },
    ArchitectureEntry(
      .mass, represents: { t, n, w in (t == .mass || t == .laplacian) && w >= 2 * n }
    ) {
      MassMLP(n: $0.n, width: $0.width)
    },
  ]

  public static var names: [String] { entries.map(\.name.rawValue) }

  /// The entry of `name` (every name has one; the registry's tests check it).
  public static func entry(_ name: ArchitectureName) -> ArchitectureEntry {
    guard let entry = entries.first(where: { $0.name == name }) else {
      preconditionFailure("no registry entry for \(name.rawValue)")
    }
    return entry
  }

  /// The entry named `name`, or nil.
  public static func entry(named name: String) -> ArchitectureEntry? {
    ArchitectureName(rawValue: name).map(entry)
  }

  public static func make(_ name: String, config: ArchitectureConfig) -> (any Architecture)? {
    entry(named: name)?.make(config)
  }
}
