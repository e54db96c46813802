/// The penalized MLP with the penalty weighted by 1/max(1, λ²): per sample
/// ‖NN(x) − f(x)‖² + w/max(1, λ²)·‖NN(λx) − λ NN(x)‖², λ ~ U[−10, 10). The seed's unweighted
/// penalty grows like λ², so with randn initialisation it overwhelms the fit and the network
/// collapses to a near-constant output; this weighting keeps both terms of the same order.
/// Encourages homogeneity; guarantees nothing.
public struct PenalizedScaledMLP: MLPArchitecture {
  public let penalty: HomogeneityPenalty

  public init(n: Int, width: Int? = nil, weight: Double = 1, lambdaMax: Double = 10) {
    penalty = HomogeneityPenalty(
      mlp: MLP(n: n, width: width), weight: weight, lambdaMax: lambdaMax, scaled: true)
  }

  public var mlp: MLP { penalty.mlp }

  public var name: String { "penalized-scaled" }
  public var formula: String { MLP.formula + ", loss + w/max(1,λ²)‖NN(λx) − λNN(x)‖²" }
  public var guarantees: Set<StructureProperty> { [] }

  public func workspaceSize(batch m: Int) -> Int { penalty.workspaceSize(batch: m) }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    penalty.lossAndGradient(p, X, targets: F, m: m, grad: grad, workspace: workspace, rng: &rng)
  }
}
