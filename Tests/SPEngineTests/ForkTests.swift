import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

/// Sessions forked from a recorded one: the exact state at the fork's step, changes from there
/// as events, a header naming the parent, and verification through the parent.
@Suite struct ForkTests {
  /// Runs `fork` to its end, recording it to `path`; returns the log read back.
  static func runFork(_ fork: SessionFork, path: String, threads: Int = 1) throws
    -> SessionLogContents
  {
    let session = try TrainingSession(fork: fork, stopsWhenDone: true, threads: threads)
    session.send(
      .startRecording(try LogFile.create(path: path, force: false), logEvery: 5, evalEvery: 50))
    session.start()
    session.waitUntilFinished()
    return try LogReader.read(path: path)
  }

  /// The parent of every test: a session whose lineup, η and settings change (600 steps).
  static func parent(in folder: TemporaryFolder) throws -> SessionLogContents {
    let path = folder.file("parent.jsonl")
    _ = try LineupTests.changingSession(recordFrom: 0, path: path)
    return try LogReader.read(path: path)
  }

  static func finalParameters(_ log: SessionLogContents) -> [Int: [Double?]] {
    var out: [Int: [Double?]] = [:]
    for m in log.end?.record.models ?? [] {
      out[m.index] = m.parameter_order.flatMap { m.parameters[$0]!.flat }
    }
    return out
  }

  /// The parent's training events end at step 400; a fork with no change from there on ends
  /// with the parent's parameters, bit for bit, and verifies through its parent. (A fork
  /// does not take the parent's later events: it is a session of its own from its step.)
  @Test(arguments: [400, 450, 600])
  func aForkWithoutChangesContinuesTheParentExactly(at step: Int) throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(parent: parent, parentPath: parent.path, at: step)
    let log = try Self.runFork(fork, path: folder.file("fork.jsonl"))
    #expect(
      log.header.parent
        == SessionLog.Parent(path: parent.path, sha256: parent.sha256, step: step))
    #expect(log.header.start_step == step)
    #expect(log.end?.record.step == 600)
    let same = Self.finalParameters(log) == Self.finalParameters(parent)
    #expect(same && Self.finalParameters(log).count == 3)
    // Its own records are the parent's after the fork's step (at it, the fork records the
    // state after the parent's events of that step; the parent recorded it before them).
    #expect(
      Self.metrics(log, from: step + 1, to: 600) == Self.metrics(parent, from: step + 1, to: 600))
    #expect(LogVerifier.verify(log).difference == nil)
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)
    #expect(LogVerifier.verify(parent, upTo: step).difference == nil)
  }

  /// Metric records from `from` to `to` as (step, model, loss bits), in order.
  static func metrics(_ log: SessionLogContents, from: Int, to: Int) -> [[UInt64]] {
    log.metrics.map(\.record).filter { $0.step >= from && $0.step <= to }
      .map { [UInt64($0.step), UInt64($0.index), $0.loss?.bitPattern ?? 0] }
      .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
  }

  /// A fork before the parent's lineup changes: the same numbers up to the parent's next event
  /// (metrics at that step are recorded before it acts), its own lineup after.
  @Test(arguments: [0, 150, 200, 350])
  func anEarlierForkIsTheParentUntilTheParentsNextEvent(at step: Int) throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(parent: parent, parentPath: parent.path, at: step)
    let log = try Self.runFork(fork, path: folder.file("fork.jsonl"))
    let next = (step / 100 + 1) * 100
    let forkPart = Self.metrics(log, from: step + 1, to: next)
    #expect(!forkPart.isEmpty && forkPart == Self.metrics(parent, from: step + 1, to: next))
    #expect(LogVerifier.verify(log).difference == nil)
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)
    #expect(log.end?.record.models.count == parent.lineup(atLine: 1).entries.count || step > 0)
  }

  @Test func changesTakeEffectAtTheForksStepAsEventsAndVerify() throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(
      parent: parent, parentPath: parent.path, at: 250, iterations: 500,
      overrides: SessionFork.Overrides(eta: 0.0005, optimizer: .adam, batch: 40))
    let log = try Self.runFork(fork, path: folder.file("fork.jsonl"))
    #expect(log.end?.record.step == 500)
    // At step 250 the lineup is mass, linear, odd (numbers 0, 1, 2): each model gets the
    // optimiser, the batch and η, as events of the fork's own log at step 250.
    let own = log.events.map(\.record).filter { $0.step == 250 }.compactMap(\.sessionEvent)
    #expect(own.filter { if case .configure = $0 { true } else { false } }.count == 6)
    #expect(own.filter { if case .setEta = $0 { true } else { false } }.count == 3)
    #expect(log.end!.record.models.allSatisfy { $0.eta == 0.0005 })
    let parentAt250 = parent.metrics.map(\.record).filter { $0.step == 250 }
    let forkAt250 = log.metrics.map(\.record).filter { $0.step == 250 }
    #expect(forkAt250.count == 3 && forkAt250.map(\.loss) == parentAt250.map(\.loss))
    let forkAt255 = log.metrics.map(\.record).filter { $0.step == 255 }
    let parentAt255 = parent.metrics.map(\.record).filter { $0.step == 255 }
    #expect(forkAt255.map(\.loss) != parentAt255.map(\.loss))
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.endChecked)
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)

    // A fork of the fork verifies through both.
    let forkOfFork = try SessionFork(
      parent: log, parentPath: log.path, at: 400, overrides: SessionFork.Overrides(width: 8))
    let second = try Self.runFork(forkOfFork, path: folder.file("fork2.jsonl"))
    #expect(LogVerifier.verify(second).difference == nil)
    #expect(LogVerifier.forkDifference(second, parent: log) == nil)
    #expect(try SessionFork.readParent(of: second)?.sha256 == log.sha256)
  }

  /// `--target` and `--n` in a fork: the problem changes at the fork's step (every model
  /// restarts), as the settings popup does live, and the fork verifies.
  @Test func aForkMayChangeTheProblem() throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(
      parent: parent, parentPath: parent.path, at: 450,
      overrides: SessionFork.Overrides(target: .skew, n: 6))
    let log = try Self.runFork(fork, path: folder.file("fork.jsonl"))
    let own = log.events.map(\.record).filter { $0.step == 450 }.compactMap(\.sessionEvent)
    #expect(own.contains(.setProblem(target: .skew, n: 6)))
    #expect(log.end?.record.models.allSatisfy { $0.iteration == 150 } == true)
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.endChecked)
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)
  }

  @Test func badForksAreRefusedWithTheReason() throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    #expect(throws: SessionFork.Failure.self) {
      try SessionFork(parent: parent, parentPath: parent.path, at: 601)
    }
    #expect(throws: SessionFork.Failure.self) {
      try SessionFork(parent: parent, parentPath: parent.path, at: -1)
    }
    do {
      _ = try SessionFork(parent: parent, parentPath: parent.path, at: 300, iterations: 300)
      Issue.record("a fork that could not run a step was accepted")
    } catch {
      #expect(error.description.contains("--iterations"))
    }
    // A change the flags would refuse at the fork's step (the memory of the lineup).
    let huge = try SessionFork(
      parent: parent, parentPath: parent.path, at: 300,
      overrides: SessionFork.Overrides(width: 1 << 20))
    #expect(throws: SessionFork.Failure.self) { try TrainingSession(fork: huge) }
  }

  @Test func aMissingChangedOrMovedParentIsSaidPlainly() throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(parent: parent, parentPath: parent.path, at: 300)
    let log = try Self.runFork(fork, path: folder.file("fork.jsonl"))

    let bytes = try Data(contentsOf: URL(fileURLWithPath: parent.path))

    // Changed: one byte more.
    try (bytes + Data("\n".utf8)).write(to: URL(fileURLWithPath: parent.path))
    do {
      _ = try SessionFork.readParent(of: log)
      Issue.record("a changed parent was accepted")
    } catch let error as SessionFork.Failure {
      #expect(error.description.contains("changed since the fork"))
      #expect(error.description.contains(parent.sha256))
    }

    // Missing, and not beside the fork either.
    try FileManager.default.removeItem(atPath: parent.path)
    do {
      _ = try SessionFork.readParent(of: log)
      Issue.record("a missing parent was accepted")
    } catch let error as SessionFork.Failure {
      #expect(error.description.contains("is missing"))
      #expect(error.description.contains("forked at step 300"))
    }

    // Moved together with the fork into another folder: found beside it, unchanged.
    let moved = folder.file("moved")
    try FileManager.default.createDirectory(atPath: moved, withIntermediateDirectories: true)
    try bytes.write(to: URL(fileURLWithPath: moved + "/parent.jsonl"))
    try FileManager.default.copyItem(atPath: log.path, toPath: moved + "/fork.jsonl")
    let movedFork = try LogReader.read(path: moved + "/fork.jsonl")
    let found = try SessionFork.readParent(of: movedFork)
    #expect(found?.path == moved + "/parent.jsonl")
    #expect(found?.sha256 == parent.sha256)
  }

  /// A fork whose events before its step are not its parent's is no fork of that parent.
  @Test func aForkThatRewritesItsParentsPastIsCaught() throws {
    let folder = try TemporaryFolder("fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(in: folder)
    let fork = try SessionFork(parent: parent, parentPath: parent.path, at: 300)
    var log = try Self.runFork(fork, path: folder.file("fork.jsonl"))
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)
    // The fork's copy of the parent's η change at step 200 says another η.
    let k = try #require(
      log.header.prior_events.firstIndex { $0.event == "eta" })
    log.header.prior_events[k] = SessionLog.Event(
      .setEta(model: 2, eta: 0.01), step: 200, iterations: log.header.prior_events[k].iterations,
      elapsed: 0)
    let d = try #require(LogVerifier.forkDifference(log, parent: parent))
    #expect(d.logged == "eta at step 200")
    #expect(d.recomputed.contains("the parent's eta at step 200"))
  }
}

/// The fork of an ensemble's log: every seed's session forked at the step, each bit for bit the
/// fork of that seed's own log, on any number of threads, verifying through the parent.
@Suite struct EnsembleForkTests {
  /// A lane model, a structured one (stepped seed by seed) and the linear model.
  static let settings = SessionSettings(models: ["vanilla", "odd", "linear"], iterations: 400)

  static func parameters(_ log: SessionLogContents) -> [[String: SessionLog.Parameter]] {
    log.end?.record.models.map(\.parameters) ?? []
  }

  @Test func everySeedOfTheForkIsThatSeedsOwnFork() throws {
    let folder = try TemporaryFolder("ensemble-fork")
    defer { withExtendedLifetime(folder) {} }
    let seeds: [UInt64] = [3, 1, 4]
    let parent = try EnsembleLogTests.record(
      Self.settings, seeds: seeds, path: folder.file("e.jsonl"))
    let changes = SessionFork.Overrides(eta: 0.0005, optimizer: .adam)
    let fork = try SessionFork(
      parent: parent, parentPath: parent.path, at: 200, overrides: changes)
    let log = try ForkTests.runFork(fork, path: folder.file("f.jsonl"), threads: 2)
    #expect(log.header.seeds == seeds && log.header.start_step == 200)
    #expect(log.header.parent?.step == 200 && log.end?.record.step == 400)
    #expect(LogVerifier.forkDifference(log, parent: parent) == nil)
    // One thread: the same bits.
    let one = try ForkTests.runFork(fork, path: folder.file("f1.jsonl"), threads: 1)
    #expect(Self.parameters(one) == Self.parameters(log) && Self.parameters(log).count == 9)
    for seed in seeds {
      var alone = Self.settings
      alone.seed = seed
      let single = try EnsembleLogTests.record(
        alone, seeds: nil, path: folder.file("s\(seed).jsonl"))
      let expected = try ForkTests.runFork(
        try SessionFork(parent: single, parentPath: single.path, at: 200, overrides: changes),
        path: folder.file("sf\(seed).jsonl"))
      let mine = log.session(seed: seed)
      #expect(Self.parameters(mine) == Self.parameters(expected) && !Self.parameters(mine).isEmpty)
      #expect(
        ForkTests.metrics(mine, from: 0, to: 400) == ForkTests.metrics(expected, from: 0, to: 400))
      let report = LogVerifier.verify(mine)
      #expect(report.difference == nil && report.endChecked)
      #expect(LogVerifier.verify(parent.session(seed: seed), upTo: 200).difference == nil)
    }

    // No change: every seed continues the parent exactly.
    let same = try ForkTests.runFork(
      try SessionFork(parent: parent, parentPath: parent.path, at: 300),
      path: folder.file("same.jsonl"), threads: 2)
    #expect(Self.parameters(same) == Self.parameters(parent))

    // A fork of the fork (its parent has the fork's events at step 200) verifies through both.
    let second = try ForkTests.runFork(
      try SessionFork(
        parent: log, parentPath: log.path, at: 300, overrides: SessionFork.Overrides(width: 8)),
      path: folder.file("f2.jsonl"), threads: 2)
    #expect(LogVerifier.forkDifference(second, parent: log) == nil)
    for s in second.sessions() {
      let report = LogVerifier.verify(s)
      #expect(report.difference == nil && report.endChecked)
    }
    #expect(second.end?.record.models.filter { $0.name == "vanilla" }.count == 3)

    // A fork must have its parent's seeds.
    var other = log
    other.header.seeds = [3, 1]
    let d = try #require(LogVerifier.forkDifference(other, parent: parent))
    #expect(d.field == "seeds" && d.recomputed.hasPrefix("the parent's: "), "\(d)")
  }

  /// The live fork's bands start at the parent's step 0 (the parent re-run as the ensemble it
  /// was), and its medians at the fork's step are those of the parent's seeds there.
  @Test func theForksBandsReachBackToTheParentsStart() throws {
    let folder = try TemporaryFolder("ensemble-fork-bands")
    defer { withExtendedLifetime(folder) {} }
    let parent = try EnsembleLogTests.record(
      Self.settings, seeds: [1, 2, 3, 4, 5], path: folder.file("e.jsonl"))
    let fork = try SessionFork(parent: parent, parentPath: parent.path, at: 210)
    let session = try TrainingSession(fork: fork, pace: Pace(stepsPerSecond: 1), threads: 2)
    session.start()
    defer {
      session.send(.stop)
      session.waitUntilFinished()
    }
    var snapshot: SessionSnapshot?
    for _ in 0..<500 where snapshot == nil {
      snapshot = session.snapshot
      if snapshot == nil { usleep(10_000) }
    }
    let s = try #require(snapshot)
    #expect(s.step == 210 && s.fork?.step == 210 && s.ensemble?.seeds == [1, 2, 3, 4, 5])
    let seeds = parent.sessions()
    for model in s.models {
      let band = try #require(model.ensemble?.aprioriBand)
      #expect(band.median.buckets.first?.firstIteration == 0)
      #expect(band.median.lastIteration == 210)
      // The parent recorded every 7 steps: step 210 is among them.
      let values = seeds.compactMap { log in
        log.metrics.first { $0.record.step == 210 && $0.record.index == model.id }?.record
          .apriori_error
      }
      #expect(values.count == 5)
      #expect(band.median.last == SeedStatistics(values).median)
    }
  }
}
