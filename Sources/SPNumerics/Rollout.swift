/// Trajectories of the flow dx/dt = N(x) with the implicit midpoint rule, which conserves
/// ‖x‖² exactly (to rounding) whenever x·N(x) = 0 — the energy test of a skew model.
public enum Rollout {
  /// ‖x_k‖² for k = 0…steps of x_{k+1} = x_k + dt·N((x_k + x_{k+1})/2), each step solved by
  /// fixed-point iteration until the iterates stop changing (at most 200 iterations). From the
  /// first step that does not converge or leaves the finite numbers on, the energies are NaN.
  public static func energy(
    _ field: ([Double]) -> [Double], from x0: [Double], dt: Double, steps: Int
  ) -> [Double] {
    var x = x0
    var out = [squaredNorm(x)]
    out.reserveCapacity(steps + 1)
    var failed = false
    for _ in 0..<steps {
      if failed {
        out.append(.nan)
        continue
      }
      let n = x.count
      var y = x
      let f0 = field(x)
      for i in 0..<n { y[i] = x[i] + dt * f0[i] }
      var lastChange = Double.infinity
      var converged = false
      for _ in 0..<200 {
        var mid = x
        for i in 0..<n { mid[i] = 0.5 * (x[i] + y[i]) }
        let f = field(mid)
        var change = 0.0
        var scale = 0.0
        for i in 0..<n {
          let next = x[i] + dt * f[i]
          change = max(change, abs(next - y[i]))
          scale = max(scale, abs(next))
          y[i] = next
        }
        if !change.isFinite { break }
        // Converged when the update is at rounding level, or stopped shrinking below 1e-12.
        if change <= 4 * Double.ulpOfOne * scale
          || (change >= lastChange && change <= 1e-12 * scale)
        {
          converged = true
          break
        }
        lastChange = change
      }
      guard converged, y.allSatisfy({ $0.isFinite }) else {
        failed = true
        out.append(.nan)
        continue
      }
      x = y
      out.append(squaredNorm(x))
    }
    return out
  }

  static func squaredNorm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }
}
