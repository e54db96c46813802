/// The seed's vanilla model: the ReLU MLP trained on the plain loss ‖NN(x) − f(x)‖².
public struct VanillaMLP: Architecture {
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width) }

  public var name: String { "vanilla" }
  public var formula: String { MLP.formula }
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }
  public var guarantees: Set<StructureProperty> { [] }
  public var reluUnits: Int { mlp.reluUnits }

  // Cache, G (n×m) and the pullback's scratch.
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
    // L = (1/m) Σ_s ‖y_s − f_s‖²; ∂L/∂y = (2/m)(y − f).
    let loss = MLP.squaredError(G, targets: F, count: nm, m: m)
    mlp.pullback(p, X, m: m, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss
  }
}
