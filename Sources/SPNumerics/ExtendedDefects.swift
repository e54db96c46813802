/// The structure defects re-evaluated in extended precision, for the verdict of the structure
/// matrix.
///
/// The float64 diagnostics of a structure that holds by construction sit at rounding level, but
/// that level depends on n, the width, the depth and on cancellation inside the network (the
/// output can be much smaller than the terms summed into it), so no fixed multiple of ε tells
/// rounding from a small violation. Here the model's own Double parameters are evaluated again
/// with every operation in Float80 (unit roundoff 2⁻⁶⁴, 2¹¹ times finer than float64's), on the
/// same probe inputs formed in Float80 (x + y and λ·x_h are not rounded to float64 first).
/// A property that holds for every parameter value then shows a defect of Float80 rounding (the
/// float64 rounding level divided by about 2000), while a real violation keeps its size.
extension ModelDiagnostics {
  /// Every property's defect, with the definitions of `from(outputs:…)` (the same relative
  /// errors, the same zero-denominator convention), computed in Float80 from Y =
  /// `evaluateExtended(probeMatrix(problem, as: Float80.self))` and returned as Double.
  public static func extendedDefects(outputs Y: UnsafePointer<Float80>, problem: Problem)
    -> [StructureProperty: Double]
  {
    let n = problem.n
    let lambdas = problem.probe.lambdas
    let L = lambdas.count
    let cols = probeColumns(lambdaCount: L)
    func column(_ c: Int) -> [Float80] { (0..<n).map { Y[$0 * cols + c] } }
    func norm(_ v: [Float80]) -> Float80 { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    func relative(_ num: Float80, _ den: Float80) -> Float80 {
      if den == 0 { return num == 0 ? 0 : .infinity }
      return num / den
    }
    func worst(_ a: Float80, _ b: Float80) -> Float80 { a.isNaN || b.isNaN ? .nan : max(a, b) }
    let nx = column(0)
    let ny = column(1)
    let sum = zip(nx, ny).map(+)
    let additivity = relative(norm(zip(column(2), sum).map(-)), norm(sum))
    let nh = column(3)
    var hom: Float80 = 0
    var pos: Float80 = 0
    for (k, l) in lambdas.enumerated() where l != 0 {
      let lam = Float80(l)
      let scaled = nh.map { lam * $0 }
      let e = relative(norm(zip(column(4 + k), scaled).map(-)), norm(scaled))
      hom = worst(hom, e)
      if l > 0 { pos = worst(pos, e) }
    }
    let inputs = [problem.probe.additivityX, problem.probe.additivityY, problem.probe.homogeneityX]
    let at = [0, 1, 3]
    let negated = [L + 5, L + 6, L + 7]
    var odd: Float80 = 0
    var energy: Float80 = 0
    var mass: Float80 = 0
    for j in 0..<3 {
      let p = inputs[j].map { Float80($0) }
      let np = column(at[j])
      let nm = column(negated[j])
      let size = norm(np)
      odd = worst(odd, relative(norm(zip(np, nm).map(+)), size + norm(nm)))
      let dot = zip(p, np).reduce(Float80(0)) { $0 + $1.0 * $1.1 }
      energy = worst(energy, relative(abs(dot), norm(p) * size))
      let total = np.reduce(0, +)
      mass = worst(mass, relative(abs(total), Float80(n).squareRoot() * size))
    }
    return [
      .additivity: Double(additivity), .homogeneity: Double(hom),
      .positiveHomogeneity: Double(pos), .oddness: Double(odd), .energy: Double(energy),
      .mass: Double(mass),
    ]
  }
}
