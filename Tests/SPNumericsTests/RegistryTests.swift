import Testing

@testable import SPNumerics

/// The registry itself: one entry per name, in the names' order, each built under its name; and
/// each entry's memory estimate.
@Suite struct RegistryTests {
  @Test func oneEntryPerNameInOrder() {
    #expect(ArchitectureRegistry.entries.map(\.name) == ArchitectureName.allCases)
    for name in ArchitectureName.allCases {
      #expect(ArchitectureRegistry.entry(name).make(.init(n: 3)).name == name.rawValue)
      #expect(ArchitectureRegistry.entry(named: name.rawValue)?.name == name)
    }
    #expect(ArchitectureRegistry.entry(named: "nope") == nil)
  }

  /// The two penalized entries are one architecture with two scalings.
  @Test func thePenalizedEntriesDifferOnlyInTheirScaling() throws {
    let config = ArchitectureConfig(n: 4, width: 6, penaltyWeight: 0.5)
    let plain = try #require(ArchitectureRegistry.entry(.penalized).make(config) as? PenalizedMLP)
    let scaled = try #require(
      ArchitectureRegistry.entry(.penalizedScaled).make(config) as? PenalizedMLP)
    #expect(plain.scaling == .constant && scaled.scaling == .inverseSquare)
    #expect(plain.mlp == scaled.mlp && plain.weight == 0.5 && scaled.weight == 0.5)
    #expect(PenaltyScaling.inverseSquare.weight(0.5, lambda: 4) == 0.5 / 16)
    #expect(PenaltyScaling.inverseSquare.weight(0.5, lambda: 0.5) == 0.5)
  }

  /// Each entry's estimate holds at least its parameters, gradient, optimiser state and
  /// workspace; sizes too large to count, or not positive, give nil rather than a trap.
  @Test(arguments: ArchitectureName.allCases)
  func estimateCoversTheModel(name: ArchitectureName) throws {
    let entry = ArchitectureRegistry.entry(name)
    for (n, width, batch) in [(1, 1, 1), (5, 5, 20), (7, 30, 200), (300, 2, 5)] {
      let config = ArchitectureConfig(n: n, width: width)
      let model = entry.make(config)
      for optimizer in OptimizerKind.allCases {
        let bytes = try #require(
          entry.estimatedBytes(config, batch: batch, optimizer: optimizer, target: .oddTeacher))
        let state = optimizer.make(eta: 1).stateSize(parameterCount: model.layout.count)
        let least = 8 * (2 * model.layout.count + state + model.workspaceSize(batch: batch))
        #expect(bytes >= UInt64(least), "\(name) n \(n) w \(width) m \(batch) \(optimizer)")
      }
    }
    for (n, width, batch) in [
      (Int.max, 1, 1), (1, Int.max, 1), (5, 5, Int.max), (1_000_000_000, 5, 20), (0, 5, 20),
      (5, 5, 0),
    ] {
      #expect(
        entry.estimatedBytes(
          .init(n: n, width: width), batch: batch, optimizer: .adam, target: .general) == nil)
    }
  }
}
