/// The reference problem: a target f (`TargetKind`: f(x) = A x with A = randn(n, n) in the seed),
/// a fixed validation input, and the fixed probe inputs of the structure checks. Every model of a
/// session shares it.
///
/// Draw order from `Xoshiro256(seed: seed)`, the same for every target: M = randn(n, n) (row by
/// row), xvalid, the additivity pair x and y, the homogeneity input; then, for `odd-teacher`
/// only, the teacher's C1, C2, C3 (row by row), drawn again while the teacher vanishes at xvalid. A is derived from M (`TargetKind`), so the
/// general target is the seed's and xvalid and the probes do not depend on the target.
public struct Problem: Hashable, Sendable {
  public let n: Int
  public let seed: UInt64
  public let targetKind: TargetKind
  /// A, n×n row-major: the target's matrix (for `odd-teacher` the unused draw M).
  public let A: [Double]
  /// The odd teacher's parameters C1, C2, C3 (layout of `OddMLP(n: n, width: n)`); empty for
  /// the other targets.
  public let teacher: [Double]
  public let xvalid: [Double]
  /// f(xvalid).
  public let fvalid: [Double]
  public let probe: Probe

  /// λ values on the probe's grid unless asked otherwise (a session's).
  public static let defaultLambdaCount = 100

  public init(
    n: Int, seed: UInt64, target: TargetKind = .general,
    lambdaCount: Int = Problem.defaultLambdaCount,
    lambdaRange: ClosedRange<Double> = -10...10
  ) {
    precondition(n > 0, "n must be positive")
    var rng = Xoshiro256(seed: seed)
    self.n = n
    self.seed = seed
    targetKind = target
    let M = (0..<(n * n)).map { _ in rng.normal() }
    xvalid = (0..<n).map { _ in rng.normal() }
    let ax = (0..<n).map { _ in rng.normal() }
    let ay = (0..<n).map { _ in rng.normal() }
    let hx = (0..<n).map { _ in rng.normal() }
    probe = Probe(
      additivityX: ax, additivityY: ay, homogeneityX: hx,
      lambdas: Probe.linRange(lambdaRange.lowerBound, lambdaRange.upperBound, lambdaCount))
    let A = target.matrix(from: M, n: n)
    var teacher: [Double] = []
    var f = [Double](repeating: 0, count: n)
    let size = max(1, Self.workspaceSize(target, n: n, batch: 1))
    var ws = [Double](repeating: 0, count: size)
    // The odd teacher is redrawn (the stream continues) while f(xvalid) = 0, which dead units
    // make possible at small n: the a-priori error needs a nonzero denominator.
    for _ in 0..<64 {
      if target == .oddTeacher {
        // He scaling, N(0, 2/n): the teacher's output stays of the order of its input.
        let scale = (2 / Double(n)).squareRoot()
        teacher = (0..<(3 * n * n)).map { _ in rng.normal() * scale }
      }
      Self.evaluate(target, n: n, A: A, teacher: teacher, xvalid, m: 1, into: &f, workspace: &ws)
      if target != .oddTeacher || f.contains(where: { $0 != 0 }) { break }
    }
    self.A = A
    self.teacher = teacher
    fvalid = f
  }

  /// The seed for model slot `slot` of a session (its initial parameters, its samples, its λs):
  /// the first output of SplitMix64(seed + golden·(slot + 1)), so slots are independent streams.
  public static func modelSeed(_ seed: UInt64, slot: Int) -> UInt64 {
    var sm = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(slot + 1))
    return sm.next()
  }

  /// The odd teacher network (width n) for `odd-teacher`.
  public var teacherNetwork: OddMLP { OddMLP(n: n, width: n) }

  /// Scratch doubles `target(_:m:into:workspace:)` needs for m columns (0 for linear targets).
  public func targetWorkspaceSize(batch m: Int) -> Int {
    Self.workspaceSize(targetKind, n: n, batch: m)
  }

  static func workspaceSize(_ kind: TargetKind, n: Int, batch m: Int) -> Int {
    switch kind {
    case .general, .skew, .mass, .laplacian: 0
    case .even: n * m
    case .oddTeacher: OddMLP(n: n, width: n).workspaceSize(batch: m)
    }
  }

  static func evaluate(
    _ kind: TargetKind, n: Int, A: [Double], teacher: [Double], _ X: [Double], m: Int,
    into F: inout [Double], workspace: inout [Double]
  ) {
    A.withUnsafeBufferPointer { a in
      teacher.withUnsafeBufferPointer { c in
        X.withUnsafeBufferPointer { x in
          F.withUnsafeMutableBufferPointer { f in
            workspace.withUnsafeMutableBufferPointer { w in
              evaluate(
                kind, n: n, A: a.baseAddress!, teacher: c.baseAddress, x.baseAddress!, m: m,
                into: f.baseAddress!, workspace: w.baseAddress!)
            }
          }
        }
      }
    }
  }

  static func evaluate(
    _ kind: TargetKind, n: Int, A: UnsafePointer<Double>, teacher: UnsafePointer<Double>?,
    _ X: UnsafePointer<Double>, m: Int, into F: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>
  ) {
    switch kind {
    case .general, .skew, .mass, .laplacian:
      Kernels.affine(A, nil, rows: n, inner: n, X, m: m, into: F)
    case .even:
      for i in 0..<(n * m) { workspace[i] = abs(X[i]) }
      Kernels.affine(A, nil, rows: n, inner: n, workspace, m: m, into: F)
    case .oddTeacher:
      OddMLP(n: n, width: n).evaluate(teacher!, X, m: m, into: F, workspace: workspace)
    }
  }

  /// F = f(X) for the m columns of X (n×m feature-major), without allocating: A X for the
  /// linear targets, A|X| for `even`, the teacher for `odd-teacher`.
  public func target(
    _ X: UnsafePointer<Double>, m: Int, into F: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>
  ) {
    A.withUnsafeBufferPointer { a in
      teacher.withUnsafeBufferPointer { c in
        Self.evaluate(
          targetKind, n: n, A: a.baseAddress!, teacher: c.baseAddress, X, m: m, into: F,
          workspace: workspace)
      }
    }
  }

  /// F = f(X), allocating what the target needs (not for training steps).
  public func target(_ X: UnsafePointer<Double>, m: Int, into F: UnsafeMutablePointer<Double>) {
    let size = max(1, targetWorkspaceSize(batch: m))
    let ws = UnsafeMutablePointer<Double>.allocate(capacity: size)
    defer { ws.deallocate() }
    target(X, m: m, into: F, workspace: ws)
  }

  /// f(x) for one input.
  public func target(_ x: [Double]) -> [Double] {
    precondition(x.count == n)
    var f = [Double](repeating: 0, count: n)
    x.withUnsafeBufferPointer { xp in
      f.withUnsafeMutableBufferPointer { target(xp.baseAddress!, m: 1, into: $0.baseAddress!) }
    }
    return f
  }
}

/// The fixed inputs of the structure checks.
public struct Probe: Hashable, Sendable {
  /// The pair (x, y) of the additivity error.
  public let additivityX: [Double]
  public let additivityY: [Double]
  /// The x of the homogeneity error.
  public let homogeneityX: [Double]
  /// λ values of the homogeneity curve: LinRange(−10, 10, 100) by default (0 is not among them).
  public let lambdas: [Double]

  /// Julia's LinRange: (1 − t)·a + t·b with t = k/(count − 1); both ends exact.
  public static func linRange(_ a: Double, _ b: Double, _ count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [a] : [] }
    let d = Double(count - 1)
    return (0..<count).map { k in
      let t = Double(k) / d
      return (1 - t) * a + t * b
    }
  }
}
