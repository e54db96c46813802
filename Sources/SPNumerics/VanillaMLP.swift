/// The seed's vanilla model: the ReLU MLP trained on the plain loss ‖NN(x) − f(x)‖².
public struct VanillaMLP: MLPArchitecture {
  public let mlp: MLP
  public init(n: Int, width: Int? = nil) { mlp = MLP(n: n, width: width) }

  public var name: String { "vanilla" }
  public var formula: String { MLP.formula }
  public var guarantees: Set<StructureProperty> { [] }
}
