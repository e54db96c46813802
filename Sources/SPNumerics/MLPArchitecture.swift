/// An architecture built on the seed's MLP kernels: it names its `mlp` and gets the rest — size,
/// layout, ReLU units, the forward pass (with active-unit marking) and the plain squared-error
/// loss with its pullback — unless it implements them itself (the penalised losses) or a
/// refinement does (`StructuredMLP`: `odd`, `mass`).
public protocol MLPArchitecture: Architecture {
  var mlp: MLP { get }
}

extension MLPArchitecture {
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }
  public var reluUnits: Int { mlp.reluUnits }

  /// The forward cache, G (n×m) and the pullback's scratch.
  public func workspaceSize(batch m: Int) -> Int {
    mlp.cacheSize(batch: m) + n * m + mlp.scratchSize(batch: m)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    mlp.forward(p, X, m: m, into: Y, cache: workspace)
  }

  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    mlp.forwardExtended(p, X, m: m, into: Y)
  }

  /// `evaluate` (the architecture's own, if it has one), then the ReLU units active on X, read
  /// from the forward cache at the start of the workspace.
  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    evaluate(p, X, m: m, into: Y, workspace: workspace)
    mlp.markActive(cache: workspace, m: m, into: active)
  }

  /// L = (1/m) Σ_s ‖NN(x_s) − f_s‖², ∂L/∂y = (2/m)(y − f), through the MLP's pullback.
  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let nm = n * m
    let cache = workspace
    let G = workspace + mlp.cacheSize(batch: m)
    mlp.forward(p, X, m: m, into: G, cache: cache)
    let loss = MLP.squaredError(G, targets: F, count: nm, m: m)
    mlp.pullback(p, X, m: m, G: G, cache: cache, grad: grad, scratch: G + nm)
    return loss
  }
}
