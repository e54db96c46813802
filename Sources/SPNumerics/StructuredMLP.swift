/// The two precisions a model is evaluated in: Double (training and the float64 diagnostics) and
/// Float80 (the structure verdict's reference, `Architecture.evaluateExtended`). Code generic
/// over it is written once and specialised for each.
public protocol ModelScalar: BinaryFloatingPoint {
  /// The mean of `count` values from their sum, as each path has always formed it: float64
  /// multiplies by the reciprocal 1/count (loop-invariant, hoisted; kept so that training
  /// reproduces its sessions bit for bit), Float80 divides (correctly rounded, the reference).
  static func mean(sum: Self, count: Int) -> Self
}

extension Double: ModelScalar {
  @inlinable @inline(__always)
  public static func mean(sum: Double, count: Int) -> Double { sum * (1 / Double(count)) }
}

extension Float80: ModelScalar {
  @inlinable @inline(__always)
  public static func mean(sum: Float80, count: Int) -> Float80 { sum / Float80(count) }
}

/// A fixed linear map around an inner network h that gives a structure by construction:
/// N(x) = C h(E x), where E stacks `copies` linear images of each input (X̃ = E X, n × copies·m)
/// and C combines h's outputs Ỹ = h(X̃) back into one output per input (Y = C Ỹ, n×m). Its
/// gradient only needs C's adjoint: ∂L/∂Ỹ = Cᵀ ∂L/∂Y.
///
/// `expand` and `combine` are generic over the scalar, so the float64 evaluation and the
/// Float80 re-evaluation of the verdict run the same code.
public protocol StructureMap: Sendable {
  /// Columns of X̃ and Ỹ per input column.
  var copies: Int { get }
  /// False when E is the identity: X̃ is X itself and `expand` is not called.
  var expandsInput: Bool { get }
  /// Scalars of scratch `combine` and `squaredErrorPullback` need for m input columns.
  func scratchSize(batch m: Int) -> Int

  /// X̃ = E X: reads X (n×m), writes `Xt` (n × copies·m).
  func expand<T: ModelScalar>(
    _ X: UnsafePointer<T>, n: Int, m: Int, into Xt: UnsafeMutablePointer<T>)

  /// Y = C Ỹ: reads Ỹ (n × copies·m), writes Y (n×m). With one copy, Y may be Ỹ itself.
  func combine<T: ModelScalar>(
    _ Yt: UnsafePointer<T>, n: Int, m: Int, into Y: UnsafeMutablePointer<T>,
    scratch: UnsafeMutablePointer<T>)

  /// The squared error through the map: returns L = (1/m) Σ_s ‖(C Ỹ)_s − f_s‖² and overwrites
  /// Ỹ with ∂L/∂Ỹ = Cᵀ (2/m)(C Ỹ − F), in one pass over Ỹ where the map allows it.
  func squaredErrorPullback(
    _ Yt: UnsafeMutablePointer<Double>, targets F: UnsafePointer<Double>, n: Int, m: Int,
    scratch: UnsafeMutablePointer<Double>
  ) -> Double
}

/// An MLP h wrapped in a `StructureMap`: N(x) = C h(E x). A conforming type names its `mlp` and
/// its `map` (and its name, formula and guarantees); this extension is the rest — the workspace
/// layout, the evaluation in float64 (with active-unit marking) and in Float80, and the squared
/// error with its gradient through the map and h's pullback.
///
/// A protocol rather than a generic struct so that each conforming type's witnesses are
/// specialised for its map: the trainer reaches an architecture through `any Architecture`,
/// and the conformance of a generic type would run unspecialised code there.
public protocol StructuredMLP: MLPArchitecture {
  associatedtype Map: StructureMap
  var map: Map { get }
}

extension StructuredMLP {
  /// Workspace, in order: X̃ (when E copies), Ỹ (n × copies·m), h's cache and its pullback's
  /// scratch for copies·m columns, then the map's scratch.
  public func workspaceSize(batch m: Int) -> Int {
    let mc = map.copies * m
    let inputs = map.expandsInput ? n * mc : 0
    return inputs + n * mc + mlp.cacheSize(batch: mc) + mlp.scratchSize(batch: mc)
      + map.scratchSize(batch: m)
  }

  /// Ỹ = h(E X), with h's cache after Ỹ; returns (X̃, Ỹ, cache, the pullback's scratch, the
  /// map's scratch). Ỹ is written over `output` when given (one copy), else into the workspace.
  @inlinable
  func forwardExpanded(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    output: UnsafeMutablePointer<Double>?, workspace: UnsafeMutablePointer<Double>
  ) -> (
    Xt: UnsafePointer<Double>, Yt: UnsafeMutablePointer<Double>,
    cache: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>,
    mapScratch: UnsafeMutablePointer<Double>
  ) {
    let mc = map.copies * m
    var Xt = X
    var next = workspace
    if map.expandsInput {
      map.expand(X, n: n, m: m, into: next)
      Xt = UnsafePointer(next)
      next += n * mc
    }
    let Yt = output ?? next
    let cache = next + n * mc
    let scratch = cache + mlp.cacheSize(batch: mc)
    mlp.forward(p, Xt, m: mc, into: Yt, cache: cache)
    return (Xt, Yt, cache, scratch, scratch + mlp.scratchSize(batch: mc))
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>
  ) {
    let w = forwardExpanded(
      p, X, m: m, output: map.copies == 1 ? Y : nil, workspace: workspace)
    map.combine(UnsafePointer(w.Yt), n: n, m: m, into: Y, scratch: w.mapScratch)
  }

  public func evaluate(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, m: Int,
    into Y: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    markingActive active: UnsafeMutablePointer<Bool>
  ) {
    let w = forwardExpanded(
      p, X, m: m, output: map.copies == 1 ? Y : nil, workspace: workspace)
    map.combine(UnsafePointer(w.Yt), n: n, m: m, into: Y, scratch: w.mapScratch)
    mlp.markActive(cache: w.cache, m: map.copies * m, into: active)
  }

  /// C h(E X) in Float80, through the same `expand` and `combine` as `evaluate`.
  public func evaluateExtended(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Float80>, m: Int,
    into Y: UnsafeMutablePointer<Float80>
  ) {
    let mc = map.copies * m
    let inputs = map.expandsInput ? n * mc : 0
    let outputs = map.copies == 1 ? 0 : n * mc
    let buffer = UnsafeMutablePointer<Float80>.allocate(
      capacity: max(1, inputs + outputs + map.scratchSize(batch: m)))
    defer { buffer.deallocate() }
    var Xt = X
    if map.expandsInput {
      map.expand(X, n: n, m: m, into: buffer)
      Xt = UnsafePointer(buffer)
    }
    let Yt = map.copies == 1 ? Y : buffer + inputs
    mlp.forwardExtended(p, Xt, m: mc, into: Yt)
    map.combine(UnsafePointer(Yt), n: n, m: m, into: Y, scratch: buffer + inputs + outputs)
  }

  /// L = (1/m) Σ_s ‖N(x_s) − f_s‖², through the map's `squaredErrorPullback` and h's pullback.
  public func lossAndGradient(
    _ p: UnsafePointer<Double>, _ X: UnsafePointer<Double>, targets F: UnsafePointer<Double>,
    m: Int, grad: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>,
    rng: inout Xoshiro256
  ) -> Double {
    let w = forwardExpanded(p, X, m: m, output: nil, workspace: workspace)
    let loss = map.squaredErrorPullback(w.Yt, targets: F, n: n, m: m, scratch: w.mapScratch)
    mlp.pullback(
      p, w.Xt, m: map.copies * m, G: w.Yt, cache: w.cache, grad: grad, scratch: w.scratch)
    return loss
  }
}
