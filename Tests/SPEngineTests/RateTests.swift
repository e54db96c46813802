import Foundation
import Testing

@testable import SPEngine

/// The header's steps per second: not known at the start (`rateMeasured` false, shown "—"),
/// measured after a tenth of a second of running, for one session and for an ensemble, whose
/// quick snapshots carry it too.
@Suite struct RateTests {
  @Test func aSessionMeasuresItsRateAfterATenthOfASecond() {
    let w = SessionWorker(settings: SessionSettings(iterations: 0))
    let first = w.snapshot()
    #expect(first.state == .running)
    #expect(!first.rateMeasured && first.stepsPerSecond == 0)
    w.runChunk(50)
    usleep(150_000)
    let later = w.snapshot()
    #expect(later.rateMeasured)
    #expect(later.stepsPerSecond > 0)
    #expect(later.stepsPerSecond <= 50 / 0.15 + 1, "50 steps over at least 0.15 s")
  }

  @Test func anEnsembleMeasuresItsRateInEverySnapshot() {
    let e = EnsembleWorker(
      settings: SessionSettings(iterations: 0), seeds: Array(1...16), threads: 2)
    let first = e.snapshot(forceStructure: false)
    #expect(!first.rateMeasured && first.stepsPerSecond == 0)
    e.runChunk(40)
    usleep(150_000)
    let later = e.snapshot(forceStructure: false)
    #expect(later.rateMeasured)
    #expect(later.stepsPerSecond > 0 && later.stepsPerSecond <= 40 / 0.15 + 1)
  }

  /// Between two full snapshots an ensemble's quick ones bring the clock, the rate and the
  /// state up to date but keep the step the rows were taken at: the header's step never runs
  /// ahead of the figures under it.
  @Test func anEnsemblesQuickSnapshotKeepsTheStepOfItsRows() {
    let e = EnsembleWorker(
      settings: SessionSettings(iterations: 0), seeds: Array(1...16), threads: 2)
    _ = e.snapshot(forceStructure: false)
    e.fullCost = 10  // the next snapshots are quick ones
    e.runChunk(40)
    usleep(150_000)
    let quick = e.snapshot(forceStructure: false)
    #expect(quick.rateMeasured, "the rate is brought up to date")
    #expect(quick.step == 0 && quick.models.allSatisfy { $0.iteration == 0 })
    let full = e.snapshot(forceStructure: true)
    #expect(full.step == 40 && full.models.allSatisfy { $0.iteration == 40 })
  }

  /// A model's structure over the seeds is kept between two measurements and computed again
  /// when a seed's may have changed without one: here a reset (each seed's model measured
  /// afresh), then a full snapshot with no measurement due.
  @Test func theStructureOverTheSeedsFollowsAReset() throws {
    let e = EnsembleWorker(
      settings: SessionSettings(iterations: 0), seeds: Array(1...8), threads: 2)
    e.runChunk(300)
    let before = e.snapshot(forceStructure: true)
    e.apply(SessionCommand.reset(model: 0))
    e.lastStructureTime = monotonicSeconds()
    e.structureCost = 100  // no measurement due
    e.lastFullTime = -.infinity  // but a full snapshot
    let after = e.snapshot(forceStructure: false)
    #expect(!e.measuredStructure)
    let reset = e.members.map { $0.slots[0].structure.additivity }
    #expect(after.models[0].structure.additivity == SeedStatistics(reset).median)
    #expect(after.models[0].structure.additivity != before.models[0].structure.additivity)
    #expect(after.models[1].structure == before.models[1].structure, "the others unchanged")
  }
}
