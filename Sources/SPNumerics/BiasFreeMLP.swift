/// The bias-free ReLU network `B3 σ(B2 σ(B1 x))`, trained on the plain loss. Exactly positively
/// homogeneous: σ(λz) = λσ(z) for λ ≥ 0, so N(λx) = λN(x) for λ ≥ 0 and N(0) = 0; not for λ < 0,
/// not additive. It represents a general linear map A exactly when w ≥ 2n (B1 = [I; −I],
/// B2 = I, B3 = [A, −A], since z = σ(z) − σ(−z)), and f(x) = A|x| the same way with B3 = [A, A].
public struct BiasFreeMLP: MLPArchitecture {
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width, biases: false) }

  public var name: String { "biasfree" }
  public var formula: String { MLP.biasFreeFormula }
  public var guarantees: Set<StructureProperty> { [.positiveHomogeneity] }
}
