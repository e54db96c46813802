import Testing

@testable import SPNumerics

/// Every architecture's hand-written gradient against central finite differences.
@Suite struct GradientTests {
  /// Shapes every architecture is checked at: (n, hidden width, batch, target) — square and
  /// not, a batch of one, every target.
  static let shapes: [(Int, Int, Int, TargetKind)] = [
    (5, 5, 7, .general), (3, 3, 1, .general), (8, 8, 20, .general), (4, 9, 5, .even),
    (6, 2, 3, .general), (3, 7, 4, .oddTeacher), (4, 8, 3, .skew), (7, 4, 12, .mass),
    (6, 4, 11, .laplacian),
  ]

  /// (architecture, n, hidden width, batch, target): every architecture of the registry at every
  /// shape, so a new architecture's pullback is checked without anyone listing it.
  static let cases: [(String, Int, Int, Int, TargetKind)] = ArchitectureRegistry.names.flatMap {
    name in shapes.map { (name, $0.0, $0.1, $0.2, $0.3) }
  }

  @Test func everyArchitectureOfTheRegistryIsChecked() {
    #expect(Set(Self.cases.map(\.0)) == Set(ArchitectureRegistry.names))
    #expect(ArchitectureRegistry.names.count >= 8)
  }

  @Test(arguments: cases)
  func gradientMatchesFiniteDifferences(
    name: String, n: Int, width: Int, m: Int, target: TargetKind
  ) {
    for seed: UInt64 in [3, 11] {
      let problem = Problem(n: n, seed: seed, target: target)
      let arch = ArchitectureRegistry.make(
        name, config: .init(n: n, width: width, penaltyWeight: 0.7))!
      let trainer = Trainer(
        architecture: arch, problem: problem, batch: m, optimizer: SGD(eta: 0.001),
        initScheme: .randn, seed: seed &+ 100)
      var rng = Xoshiro256(seed: seed &+ 7)
      let X = (0..<(n * m)).map { _ in rng.normal() }
      let theta = trainer.parameters
      let (_, g) = trainer.lossAndGradient(X: X, m: m)
      var fd = [Double](repeating: 0, count: theta.count)
      for i in theta.indices {
        let h = 1e-6 * max(1, abs(theta[i]))
        var p = theta
        p[i] = theta[i] + h
        trainer.setParameters(p)
        let lp = trainer.lossAndGradient(X: X, m: m).loss
        p[i] = theta[i] - h
        trainer.setParameters(p)
        let lm = trainer.lossAndGradient(X: X, m: m).loss
        fd[i] = (lp - lm) / (2 * h)
      }
      trainer.setParameters(theta)
      let diff = zip(g, fd).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
      let norm = g.map { $0 * $0 }.reduce(0, +).squareRoot()
      #expect(norm > 0)
      #expect(
        diff / norm < 1e-6,
        "\(name) n=\(n) w=\(width) m=\(m) seed=\(seed): relative error \(diff / norm)")
    }
  }

  @Test func penaltyWeightZeroEqualsVanillaGradient() {
    let n = 4
    let m = 6
    let problem = Problem(n: n, seed: 5)
    let make = { (a: any Architecture) in
      Trainer(
        architecture: a, problem: problem, batch: m, optimizer: SGD(eta: 0.001),
        initScheme: .randn, seed: 9)
    }
    let v = make(VanillaMLP(n: n))
    let p = make(PenalizedMLP(n: n, weight: 0))
    #expect(v.parameters == p.parameters)
    var rng = Xoshiro256(seed: 1)
    let X = (0..<(n * m)).map { _ in rng.normal() }
    let a = v.lossAndGradient(X: X, m: m)
    let b = p.lossAndGradient(X: X, m: m)
    #expect(abs(a.loss - b.loss) <= 1e-12 * a.loss)
    for (x, y) in zip(a.gradient, b.gradient) { #expect(abs(x - y) <= 1e-12 * max(1, abs(x))) }
  }
}
