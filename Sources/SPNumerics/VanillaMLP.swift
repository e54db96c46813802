/// The seed's vanilla model: the ReLU MLP trained on the plain loss ‖NN(x) − f(x)‖².
public struct VanillaMLP: Architecture {
  public let mlp: MLP
  public init(n: Int) { mlp = MLP(n: n) }

  public var name: String { "vanilla" }
  public var formula: String { MLP.formula }
  public var n: Int { mlp.n }
  public var layout: ParameterLayout { mlp.layout }

  public func workspaceSize(batch m: Int) -> Int { 6 * n * m }

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

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let nm = n * m
    let cache = workspace
    let G = workspace + 2 * nm
    let scratch = workspace + 3 * nm
    mlp.forward(p, X, m: m, into: G, cache: cache)
    // L = (1/m) Σ_s ‖y_s − f_s‖²; ∂L/∂y = (2/m)(y − f).
    let scale = 2 / Double(m)
    var loss = 0.0
    for i in 0..<nm {
      let r = G[i] - F[i]
      loss += r * r
      G[i] = scale * r
    }
    mlp.pullback(p, X, m: m, G: G, cache: cache, grad: grad, scratch: scratch)
    return loss / Double(m)
  }
}
