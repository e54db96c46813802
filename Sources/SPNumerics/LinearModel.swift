import SPKernels

/// The seed's second remedy, structure in the architecture: NN(x) = B1 x, linear by construction.
public struct LinearModel: Architecture {
  public let n: Int
  public init(n: Int) { self.n = n }

  public var name: String { "linear" }
  public var formula: String { "B1 x" }
  public var layout: ParameterLayout { ParameterLayout([("B1", n, n)]) }
  public var guarantees: Set<StructureProperty> {
    [.additivity, .homogeneity, .positiveHomogeneity, .oddness]
  }

  public func workspaceSize(batch m: Int) -> Int { 2 * n * m }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    Kernels.affine(p, nil, rows: n, inner: n, X, m: m, into: Y)
  }

  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    ExtendedProduct.affine(p, nil, rows: n, inner: n, X, m: m, into: Y)
  }

  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let nm = n * m
    let G = workspace
    Kernels.affine(p, nil, rows: n, inner: n, X, m: m, into: G)
    let loss = MLP.squaredError(G, targets: F, count: nm, m: m)
    Kernels.weightGradient(G, rows: n, X, inner: n, m: m, gW: grad, gb: nil, scratch: G + nm)
    return loss
  }
}
