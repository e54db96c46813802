import SPKernels
import Testing

@testable import SPNumerics

/// The lane engine against `Trainer.step()`: every seed bit for bit, whatever the grouping.
@Suite struct LaneTrainingTests {
  /// One trainer per seed, each with its own problem (as `--seed s` builds it).
  static func trainers(
    _ seeds: [UInt64], n: Int, width: Int? = nil, biases: Bool = true, linear: Bool = false,
    penalty: PenaltyScaling? = nil, structure: LaneMLP.Structure = .none, target: TargetKind,
    optimizer: OptimizerKind, eta: Double, batch: Int = 7, scheme: InitScheme = .randn
  ) -> [Trainer] {
    seeds.map { s in
      let a: any Architecture
      if structure == .odd {
        a = OddMLP(n: n, width: width)
      } else if structure == .mass {
        a = MassMLP(n: n, width: width)
      } else if structure == .skew {
        a = SkewLinear(n: n)
      } else if linear {
        a = LinearModel(n: n)
      } else if let penalty {
        a = PenalizedMLP(n: n, width: width, weight: 0.3, lambdaMax: 4, scaling: penalty)
      } else if biases {
        a = VanillaMLP(n: n, width: width)
      } else {
        a = BiasFreeMLP(n: n, width: width)
      }
      return Trainer(
        architecture: a, problem: Problem(n: n, seed: s, target: target), batch: batch,
        optimizer: optimizer.make(eta: eta), initScheme: scheme, seed: s &* 7919)
    }
  }

  /// Each trainer stepped alone: per step (loss, a-priori) until it diverges.
  static func alone(_ ts: [Trainer], steps: Int) -> [[(Double, Double)]] {
    ts.map { t in
      var out: [(Double, Double)] = []
      for _ in 0..<steps {
        guard t.step() else { break }
        out.append((t.lastLoss, t.lastAprioriError))
      }
      return out
    }
  }

  static func expectSame(_ a: Trainer, _ b: Trainer, _ what: String) {
    #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern), "\(what)")
    #expect(a.iteration == b.iteration, "\(what)")
    #expect(a.diverged == b.diverged, "\(what)")
    #expect(a.lastLoss.bitPattern == b.lastLoss.bitPattern, "\(what)")
    #expect(a.lastAprioriError.bitPattern == b.lastAprioriError.bitPattern, "\(what)")
    var ra = a.rng
    var rb = b.rng
    #expect(ra.next() == rb.next(), "\(what): the streams")
    #expect(
      Array(UnsafeBufferPointer(start: a.state, count: a.stateCount))
        == Array(UnsafeBufferPointer(start: b.state, count: b.stateCount)), "\(what): state")
  }

  @Test(arguments: OptimizerKind.allCases)
  func everySeedIsItsModelAloneBitForBit(optimizer: OptimizerKind) {
    let seeds: [UInt64] = Array(1...11)
    let cases: [(TargetKind, Bool, Int, Bool, PenaltyScaling?, LaneMLP.Structure)] = [
      (.general, true, 5, false, nil, .none), (.even, true, 7, false, nil, .none),
      (.skew, false, 10, false, nil, .none), (.laplacian, true, 3, false, nil, .none),
      (.even, true, 1, false, nil, .none), (.general, false, 0, true, nil, .none),
      (.mass, false, 0, true, nil, .none), (.general, true, 5, false, .constant, .none),
      (.even, true, 6, false, .inverseSquare, .none),
      // The structured architectures: odd (h on [X | −X]), mass (mean removed), skew.
      (.general, false, 5, false, nil, .odd), (.even, false, 3, false, nil, .odd),
      (.mass, true, 6, false, nil, .mass), (.laplacian, true, 1, false, nil, .mass),
      (.skew, false, 0, true, nil, .skew), (.general, false, 0, true, nil, .skew),
    ]
    for (target, biases, width, linear, penalty, structure) in cases {
      let what =
        "\(optimizer) \(target) biases \(biases) width \(width) linear \(linear) "
        + "\(String(describing: penalty)) \(structure)"
      let a = Self.trainers(
        seeds, n: 5, width: width, biases: biases, linear: linear, penalty: penalty,
        structure: structure, target: target, optimizer: optimizer, eta: 0.002)
      let b = Self.trainers(
        seeds, n: 5, width: width, biases: biases, linear: linear, penalty: penalty,
        structure: structure, target: target, optimizer: optimizer, eta: 0.002)
      let expected = Self.alone(a, steps: 300)
      // In three chunks of unequal length, through the groups of 8 + 3.
      var got = [[(Double, Double)]](repeating: [], count: seeds.count)
      for (chunk, threads) in [(120, 1), (1, 2), (179, 2)] {
        let r = LaneTraining.train(b, steps: chunk, threads: threads)
        for k in seeds.indices {
          guard let s = r[k] else {
            Issue.record("\(what): seed \(seeds[k]) left out")
            return
          }
          got[k] += zip(s.losses, s.aprioris).map { ($0, $1) }
        }
      }
      for k in seeds.indices {
        Self.expectSame(a[k], b[k], "\(what) seed \(seeds[k])")
        #expect(
          expected[k].map { [$0.0.bitPattern, $0.1.bitPattern] }
            == got[k].map { [$0.0.bitPattern, $0.1.bitPattern] }, "\(what) seed \(seeds[k])")
      }
    }
  }

  /// With η = 5 the seeds diverge at different steps; each stops where it does alone.
  @Test func divergingSeedsStopWhereTheyStopAlone() {
    let seeds: [UInt64] = Array(20...36)
    let a = Self.trainers(seeds, n: 4, target: .general, optimizer: .sgd, eta: 5)
    let b = Self.trainers(seeds, n: 4, target: .general, optimizer: .sgd, eta: 5)
    let expected = Self.alone(a, steps: 200)
    let r = LaneTraining.train(b, steps: 200, threads: 2)
    // Seed 23 diverges at step 6, the others between 146 and 161 (all in 200 steps).
    #expect(Set(a.filter(\.diverged).map(\.iteration)).count >= 5)
    #expect(a.map(\.iteration).min()! < 10)
    for k in seeds.indices {
      Self.expectSame(a[k], b[k], "seed \(seeds[k])")
      #expect(r[k]?.done == expected[k].count)
      #expect(r[k]?.losses.map(\.bitPattern) == expected[k].map(\.0.bitPattern))
    }
    // A diverged trainer is left alone afterwards.
    let again = LaneTraining.train(b, steps: 10, threads: 1)
    for k in seeds.indices where b[k].diverged { #expect(again[k] == nil) }
  }

  /// The lanes take every architecture of the catalogue.
  @Test func everyArchitectureHasLanes() {
    for entry in ArchitectureRegistry.entries {
      let t = Trainer(
        architecture: entry.make(ArchitectureConfig(n: 4)), problem: Problem(n: 4, seed: 3),
        batch: 5, optimizer: SGD(eta: 0.001), initScheme: .randn, seed: 1)
      #expect(LaneTraining.key(t) != nil, "\(entry.name)")
    }
  }

  /// Targets and lone settings the lanes do not take are left to `step()`.
  @Test func whatTheLanesDoNotTakeIsLeftAlone() {
    let odd = Self.trainers([1, 2], n: 4, target: .oddTeacher, optimizer: .sgd, eta: 0.001)
    #expect(LaneTraining.train(odd, steps: 5, threads: 1).allSatisfy { $0 == nil })
    let lone = Self.trainers([1], n: 4, target: .general, optimizer: .sgd, eta: 0.001)
    #expect(LaneTraining.train(lone, steps: 5, threads: 1)[0] == nil)
    #expect(lone[0].iteration == 0)
    // Two η: two groups of one each, both left alone; the same η again: lanes.
    let mixed =
      Self.trainers([1], n: 4, target: .general, optimizer: .sgd, eta: 0.001)
      + Self.trainers([2], n: 4, target: .general, optimizer: .sgd, eta: 0.002)
    #expect(LaneTraining.train(mixed, steps: 5, threads: 1).allSatisfy { $0 == nil })
  }
}

extension LaneSteps: Equatable {
  public static func == (a: LaneSteps, b: LaneSteps) -> Bool {
    a.done == b.done && a.losses.map(\.bitPattern) == b.losses.map(\.bitPattern)
      && a.aprioris.map(\.bitPattern) == b.aprioris.map(\.bitPattern)
  }
}
