/// The bias-free ReLU network `B3 σ(B2 σ(B1 x))`, trained on the plain loss. Exactly positively
/// homogeneous: σ(λz) = λσ(z) for λ ≥ 0, so N(λx) = λN(x) for λ ≥ 0 and N(0) = 0; not for λ < 0,
/// not additive. It represents a general linear map A exactly when w ≥ 2n (B1 = [I; −I],
/// B2 = I, B3 = [A, −A], since z = σ(z) − σ(−z)), and f(x) = A|x| the same way with B3 = [A, A].
public struct BiasFreeMLP: Architecture {
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width, biases: false) }

  public var name: String { "biasfree" }
  public var formula: String { MLP.biasFreeFormula }
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }
  public var guarantees: Set<StructureProperty> { [.positiveHomogeneity] }
  public var reluUnits: Int { mlp.reluUnits }

  public func workspaceSize(batch m: Int) -> Int {
    mlp.cacheSize(batch: m) + n * m + mlp.scratchSize(batch: m)
  }

  public func initialize(
    _ p: UnsafeMutablePointer<Double>, scheme: InitScheme, rng: inout Xoshiro256
  ) {
    initializeParts(p, scheme: scheme, rng: &rng)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    mlp.forward(p, X, m: m, into: Y, cache: workspace)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    mlp.forward(p, X, m: m, into: Y, cache: workspace)
    mlp.markActive(cache: workspace, m: m, into: active)
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let nm = n * m
    let cache = workspace
    let G = workspace + mlp.cacheSize(batch: m)
    let scratch = G + nm
    mlp.forward(p, X, m: m, into: G, cache: cache)
    let loss = MLP.squaredError(G, targets: F, count: nm, m: m)
    mlp.pullback(p, X, m: m, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss
  }
}
