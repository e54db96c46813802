@testable import SPNumerics

/// The parameter values with which an architecture represents a target exactly: the
/// constructions documented in `TargetKind.exactlyRepresentable(by:n:width:)`.
enum ExactConstructions {
  /// θ with NN = f for every x, or nil when the table says the pair is not representable.
  static func parameters(_ arch: any Architecture, problem: Problem, width w: Int) -> [Double]? {
    let n = problem.n
    let target = problem.targetKind
    guard target.exactlyRepresentable(by: arch.name, n: n, width: w) else { return nil }
    let layout = arch.layout
    var p = [Double](repeating: 0, count: layout.count)
    func set(_ name: String, _ i: Int, _ j: Int, _ v: Double) {
      let part = layout.part(named: name)!
      p[part.offset + i * part.columns + j] = v
    }
    let A = problem.A
    let C = problem.teacher
    let nn = n * n
    switch arch.name {
    case "linear":
      for i in 0..<n { for j in 0..<n { set("B1", i, j, A[i * n + j]) } }
    case "skew":
      for i in 0..<n { for j in 0..<n { set("K", i, j, A[i * n + j] / 2) } }
    case "odd":
      for i in 0..<n {
        for j in 0..<n {
          if target == .oddTeacher {
            set("B1", i, j, C[i * n + j])
            set("B2", i, j, C[nn + i * n + j])
            set("B3", i, j, C[2 * nn + i * n + j])
          } else {
            set("B3", i, j, 2 * A[i * n + j])
          }
        }
        if target != .oddTeacher {
          set("B1", i, i, 1)
          set("B2", i, i, 1)
        }
      }
    default:
      // The seed's MLP, with or without biases (biases stay 0), w ≥ 2n: the first layer
      // splits x into [x⁺; x⁻] (or the teacher's first layer for ±x).
      for i in 0..<n {
        for j in 0..<n {
          switch target {
          case .oddTeacher:
            set("B1", i, j, C[i * n + j])
            set("B1", n + i, j, -C[i * n + j])
            set("B2", i, j, C[nn + i * n + j])
            set("B2", n + i, n + j, C[nn + i * n + j])
            set("B3", i, j, C[2 * nn + i * n + j] / 2)
            set("B3", i, n + j, -C[2 * nn + i * n + j] / 2)
          default:
            set("B3", i, j, A[i * n + j])
            set("B3", i, n + j, target == .even ? A[i * n + j] : -A[i * n + j])
          }
        }
        if target != .oddTeacher {
          set("B1", i, i, 1)
          set("B1", n + i, i, -1)
          set("B2", i, i, 1)
          set("B2", n + i, n + i, 1)
        }
      }
    }
    return p
  }
}
