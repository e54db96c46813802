import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// Ensembles over seeds: each seed is the session `--seed s` runs alone, the result does not
/// depend on the number of threads, and the statistics and the sign test are what their
/// formulas say.
@Suite struct EnsembleTests {
  /// A model's result as JSON, keys sorted, without its speed (a measurement, not a result).
  static func text(_ m: RunResult.Model) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var object = try #require(
      try JSONSerialization.jsonObject(with: encoder.encode(m)) as? [String: Any])
    object["steps_per_second"] = nil
    return String(
      decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
      as: UTF8.self)
  }

  /// Every architecture of the registry with every optimiser: the model for seed s in an
  /// ensemble is bit for bit the one a session of `--seed s` alone trains.
  @Test(arguments: OptimizerKind.allCases)
  func eachSeedIsTheSessionOfThatSeedAlone(optimizer: OptimizerKind) throws {
    let settings = SessionSettings(
      models: ArchitectureName.allCases.map(\.rawValue), iterations: 150, optimizer: optimizer)
    let seeds: [UInt64] = [4, 9, 2]
    let ensemble = try #require(Ensemble.run(settings, seeds: seeds, threads: 2))
    for (k, seed) in seeds.enumerated() {
      var alone = settings
      alone.seed = seed
      let session = try TrainingSession(settings: alone, stopsWhenDone: true)
      session.start()
      session.waitUntilFinished()
      let single = try #require(session.result)
      #expect(ensemble[k].models.count == single.models.count)
      for (a, b) in zip(ensemble[k].models, single.models) {
        #expect(try Self.text(a) == Self.text(b), "seed \(seed), \(a.name), \(optimizer)")
      }
      #expect(ensemble[k].A == single.A)
    }
  }

  @Test func oneThreadAndTwoGiveTheSameBits() throws {
    let settings = SessionSettings(iterations: 300)
    let seeds = Array(UInt64(1)...7)
    let one = try #require(Ensemble.run(settings, seeds: seeds, threads: 1))
    let two = try #require(Ensemble.run(settings, seeds: seeds, threads: 2))
    let many = try #require(Ensemble.run(settings, seeds: seeds, threads: 5))
    for (k, _) in seeds.enumerated() {
      let a = try one[k].models.map(Self.text)
      #expect(a == (try two[k].models.map(Self.text)))
      #expect(a == (try many[k].models.map(Self.text)))
    }
    let summary = EnsembleResult(one, seeds: seeds, settings: settings, threads: 1, elapsed: 0)
    let again = EnsembleResult(two, seeds: seeds, settings: settings, threads: 2, elapsed: 0)
    #expect(summary.evidence == again.evidence)
    #expect(summary.models.map(\.aggregate) == again.models.map(\.aggregate))
  }

  @Test func aStoppedEnsembleReturnsNothing() {
    let stopped = Ensemble.run(
      SessionSettings(iterations: 100_000), seeds: [1, 2, 3], threads: 2, stopped: { true })
    #expect(stopped == nil)
  }

  /// A block's chunk starts small and grows to 2000 while chunks are quick, shrinks while they
  /// take longer than 0.1 s (so a stop is heard soon on a crowded machine), never below one
  /// step, and grows back.
  @Test func chunksShrinkWhenSlowAndGrowBackWhenQuick() {
    var pace = Ensemble.ChunkPace()
    #expect(pace.steps == 125)
    for _ in 0..<3 { pace.took(0.001) }
    #expect(pace.steps == 1000)
    pace.took(0.001)
    #expect(pace.steps == 2000)
    pace.took(0.001)
    #expect(pace.steps == 2000, "at most 2000")
    pace.took(0.05)
    #expect(pace.steps == 2000, "between the bounds it stays")
    pace.took(0.4)
    #expect(pace.steps == 1000)
    for _ in 0..<20 { pace.took(3) }
    #expect(pace.steps == 1)
    pace.took(0.01)
    #expect(pace.steps == 2)
    for _ in 0..<20 { pace.took(0.001) }
    #expect(pace.steps == 2000)
  }

  @Test func quartilesAreNumpysLinearInterpolation() {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.25, 0.5, 0.75]) = [1.75, 3.5, 5.25].
    let s = SeedStatistics([3, 1, 4, 1, 5, 9, 2, 6, .nan, .infinity])
    #expect(s.count == 8)
    #expect(s.q1 == 1.75 && s.median == 3.5 && s.q3 == 5.25)
    #expect(s.min == 1 && s.max == 9 && s.mean == 31.0 / 8)
    // numpy.std (ddof = 0) of the same values.
    let mean = 31.0 / 8
    let variance = [3.0, 1, 4, 1, 5, 9, 2, 6].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
    #expect(s.std == variance.squareRoot())
    #expect(SeedStatistics([7]).q1 == 7 && SeedStatistics([7]).std == 0)
    let none = SeedStatistics([.nan])
    #expect(none.count == 0 && none.median == nil)
  }

  @Test func signTestPValuesAreTheBinomialTails() {
    #expect(SignTest.pValue(lower: 32, of: 32) == 2 / 4_294_967_296.0)
    #expect(SignTest.pValue(lower: 0, of: 32) == 2 / 4_294_967_296.0)
    // 2·(C(10,0) + C(10,1) + C(10,2)) / 2¹⁰.
    #expect(abs(SignTest.pValue(lower: 2, of: 10) - 2 * 56 / 1024.0) < 1e-15)
    #expect(SignTest.pValue(lower: 5, of: 10) == 1)
    #expect(SignTest.pValue(lower: 0, of: 0) == 1)
    // Large n stays finite and in [0, 1].
    let p = SignTest.pValue(lower: 400, of: 1000)
    #expect(p > 0 && p < 1e-9)
  }

  @Test func seedSpecsReadAsWrittenAndRefuseWhatIsNot() throws {
    #expect(try SeedSpec("1-4").seeds == [1, 2, 3, 4])
    #expect(try SeedSpec("1,5,9").seeds == [1, 5, 9])
    #expect(try SeedSpec(" 7 , 2-3").seeds == [7, 2, 3])
    #expect(try SeedSpec("1-1000").seeds.count == 1000)
    #expect(try SeedSpec("18446744073709551615").seeds == [UInt64.max])
    let refused: [(String, String)] = [
      ("", "the list is empty"), ("1,,2", "item 2"), ("5-1", "runs backwards; write 1-5"),
      ("x", "'x' is not a seed"), ("1-2-3", "is not a seed"), ("-3", "is not a seed"),
      ("1,1", "seed 1 is named twice"), ("1-3,2", "seed 2 is named twice"),
      ("0-18446744073709551615", "more than 100000 seeds"),
    ]
    for (text, expected) in refused {
      do {
        _ = try SeedSpec(text)
        Issue.record("'\(text)' was accepted")
      } catch {
        #expect(error.description.contains(expected), "'\(text)': \(error.description)")
      }
    }
  }

  @Test func evidenceComparesEveryOtherModelWithVanillaSeedBySeed() throws {
    let settings = SessionSettings(models: ["linear", "vanilla", "odd"], iterations: 200)
    let seeds: [UInt64] = [1, 2, 3, 4, 5]
    let results = try #require(Ensemble.run(settings, seeds: seeds, threads: 2))
    let r = EnsembleResult(results, seeds: seeds, settings: settings, threads: 2, elapsed: 0)
    #expect(Set(r.evidence.map(\.model)) == ["linear", "odd"])
    #expect(r.evidence.allSatisfy { $0.against == "vanilla" })
    #expect(r.evidence.count == 2 * EnsembleResult.evidenceProperties.count)
    let additivity = try #require(
      r.evidence.first { $0.model == "linear" && $0.property == "additivity" })
    // Recounted from the seeds' own values.
    let lower = zip(r.models[0].seeds, r.models[1].seeds).filter {
      EnsembleResult.value("additivity", of: $0.model)!
        < EnsembleResult.value("additivity", of: $1.model)!
    }.count
    #expect(additivity.lower_in == lower && additivity.of == 5 && lower == 5)
    #expect(additivity.p_value == 2 / 32.0)
    #expect(r.models[1].aggregate["apriori_error"]?.count == 5)
    let noVanilla = EnsembleResult(
      try #require(
        Ensemble.run(
          SessionSettings(models: ["linear"], iterations: 10), seeds: [1],
          threads: 1)), seeds: [1], settings: SessionSettings(models: ["linear"]), threads: 1,
      elapsed: 0)
    #expect(noVanilla.evidence.isEmpty)
  }
}

/// The live ensemble session: every seed stepped together, keys on every seed, medians shown.
@Suite struct EnsembleSessionTests {
  /// One seed is "1 seed" in titles and figures (it read "of 1 seeds").
  @Test func countsReadAsEnglish() {
    #expect(EnsembleSummary.seedCount(1) == "1 seed")
    #expect(EnsembleSummary.seedCount(20) == "20 seeds")
  }

  static func finish(_ settings: SessionSettings, seeds: [UInt64], threads: Int) throws
    -> SessionSnapshot
  {
    let session = try TrainingSession(
      settings: settings, stopsWhenDone: true, seeds: seeds, threads: threads)
    session.start()
    session.waitUntilFinished()
    return try #require(session.snapshot)
  }

  @Test func theLiveEnsembleShowsTheMediansOfTheHeadlessSeeds() throws {
    let settings = SessionSettings(iterations: 400)
    let seeds: [UInt64] = [3, 1, 4, 5, 9]
    let live = try Self.finish(settings, seeds: seeds, threads: 2)
    let headless = try #require(Ensemble.run(settings, seeds: seeds, threads: 1))
    #expect(live.ensemble?.seeds == seeds)
    #expect(live.state == .done && live.step == 400)
    for (i, m) in live.models.enumerated() {
      let finals = headless.map { $0.models[i].final.apriori_error ?? .nan }
      #expect(m.aprioriError == SeedStatistics(finals).median)
      let e = try #require(m.ensemble)
      #expect(e.seeds == 5 && e.diverged == 0)
      #expect(e.apriori.q1 == SeedStatistics(finals).q1)
      #expect(m.aprioriHistory.lastIteration == 400)
      #expect(e.aprioriBand.q3.last == SeedStatistics(finals).q3)
      #expect(e.aprioriTraces.count == 5)
      // The waterfall's rows are medians over every seed, each taken when it was the latest
      // (the seeds after the first keep only their latest row).
      #expect(m.waterfall.last?.step == 400)
      #expect(m.waterfall.last?.values == m.structure.homogeneity)
      #expect(
        !m.waterfall.isEmpty && m.waterfall.allSatisfy { !$0.values.contains(where: \.isNaN) })
    }
    // The evidence the matrix shows is the one `sptop run --seeds` prints.
    let summary = EnsembleResult(headless, seeds: seeds, settings: settings, threads: 1, elapsed: 0)
    #expect(live.ensemble?.evidence == summary.evidence)
    #expect(summary.evidence.count == 2 * EnsembleResult.evidenceProperties.count)
    let again = try Self.finish(settings, seeds: seeds, threads: 1)
    #expect(again.models.map(\.aprioriError) == live.models.map(\.aprioriError))
    // The bands' points fall at chunk ends (which follow the clock); their values at the end
    // are the seeds' own, whatever the threads.
    #expect(
      again.models.map { $0.ensemble?.lossBand.q1.last }
        == live.models.map {
          $0.ensemble?.lossBand.q1.last
        })
  }

  /// The bands have a point at every step, however many steps a chunk takes: each point the
  /// median, quartiles and extremes of the seeds' own figures at that step (their traces),
  /// a seed that diverged left out from its step on. With the default lineup, and with one in
  /// which seeds diverge (half the penalized ones).
  @Test(arguments: [
    (SessionSettings(iterations: 300), 5),
    (SessionSettings(models: ["vanilla", "penalized"], eta: 0.03, iterations: 1000, width: 20), 8),
  ])
  func theBandsHaveAPointAtEveryStep(settings: SessionSettings, seedCount: Int) throws {
    let seeds = Array(UInt64(1)...UInt64(seedCount))
    let live = try Self.finish(settings, seeds: seeds, threads: 2)
    var diverged = 0
    for m in live.models {
      let e = try #require(m.ensemble)
      diverged += e.diverged
      let traces = e.aprioriTraces.map { trace in
        Dictionary(uniqueKeysWithValues: trace.points.map { (Int($0.x), $0.y) })
      }
      #expect(traces.count == seedCount)
      let band = e.aprioriBand
      let steps = band.median.points.map { Int($0.x) }
      let expected = (0...settings.iterations).filter { x in
        traces.contains { $0[x]?.isFinite == true }
      }
      #expect(steps == expected, "\(m.label): a point at every step with a finite figure")
      // The loss has no value before the first step.
      #expect(e.lossBand.median.points.map { Int($0.x) } == expected.filter { $0 > 0 })
      for (k, x) in steps.enumerated() {
        let s = SeedStatistics(traces.map { $0[x] ?? .nan })
        let got = [band.median, band.q1, band.q3, band.min, band.max].map { $0.points[k].y }
        #expect(got == [s.median, s.q1, s.q3, s.min, s.max], "\(m.label) at step \(x)")
      }
    }
    #expect((diverged > 0) == (seedCount == 8), "seeds diverged, and left out, in the second")
  }

  /// A diverged seed is counted and left out of the live medians and bands, as out of
  /// `run --seeds`'s aggregates (its last finite figures went up to 1e300).
  @Test func theLiveEnsembleLeavesDivergedSeedsOut() throws {
    let settings = SessionSettings(
      models: ["vanilla", "penalized"], eta: 0.03, iterations: 1000, width: 20)
    let seeds = Array(UInt64(1)...8)
    let live = try Self.finish(settings, seeds: seeds, threads: 2)
    let headless = try #require(Ensemble.run(settings, seeds: seeds, threads: 1))
    let summary = EnsembleResult(headless, seeds: seeds, settings: settings, threads: 1, elapsed: 0)
    for (i, m) in live.models.enumerated() {
      let e = try #require(m.ensemble)
      let kept = headless.filter { $0.models[i].status != "diverged" }
      #expect(e.diverged == headless.count - kept.count)
      let finals = kept.map { $0.models[i].final.apriori_error ?? .nan }
      #expect(e.apriori == SeedStatistics(finals))
      #expect(summary.models[i].aggregate["apriori_error"] == SeedStatistics(finals))
      #expect(e.aprioriBand.max.last == SeedStatistics(finals).max)
    }
    #expect(live.models[1].ensemble?.diverged == 4, "4 of 8 penalized seeds diverge here")
  }

  @Test func keysActOnEverySeed() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 0), seeds: [1, 2, 3], threads: 2)
    session.start()
    defer {
      session.send(.stop)
      session.waitUntilFinished()
    }
    session.send(.pause)
    session.send(.setEta(model: 1, eta: 0.01))
    session.send(.replaceModel(model: 2, architecture: "odd"))
    let s = try #require(
      waitForSnapshot(session) { $0.models.count == 3 && $0.models[2].architecture == "odd" })
    #expect(s.state == .paused)
    #expect(s.models[1].eta == 0.01)
    #expect(s.models[2].switches.count == 1)
    #expect(s.models[2].ensemble?.seeds == 3)
    // Recording is refused (not yet), in the footer.
    #expect(s.ensemble?.threads == 2)
  }

  func waitForSnapshot(_ session: TrainingSession, _ ok: (SessionSnapshot) -> Bool)
    -> SessionSnapshot?
  {
    let deadline = monotonicSeconds() + 10
    while monotonicSeconds() < deadline {
      if let s = session.snapshot, ok(s) { return s }
      usleep(2000)
    }
    return nil
  }
}

/// An ensemble's session log: each seed's entries are those a recording of that seed alone
/// writes, the reader checks the seeds, and each seed's session verifies.
@Suite struct EnsembleLogTests {
  static func record(_ settings: SessionSettings, seeds: [UInt64]?, path: String) throws
    -> SessionLogContents
  {
    let session = try TrainingSession(
      settings: settings, stopsWhenDone: true, seeds: seeds, threads: 2)
    session.send(
      .startRecording(try LogFile.create(path: path, force: false), logEvery: 7, evalEvery: 70))
    session.start()
    session.waitUntilFinished()
    return try LogReader.read(path: path)
  }

  @Test func eachSeedsEntriesAreThoseOfItsSessionAlone() throws {
    let folder = try TemporaryFolder("ensemble-log")
    defer { withExtendedLifetime(folder) {} }
    let settings = SessionSettings(models: ["vanilla", "odd", "linear"], iterations: 300)
    let log = try Self.record(settings, seeds: [5, 2], path: folder.file("e.jsonl"))
    #expect(log.isEnsemble && log.header.seeds == [5, 2] && log.header.settings.seed == 5)
    #expect(log.end?.record.models.map(\.seed) == [5, 5, 5, 2, 2, 2])
    for seed: UInt64 in [5, 2] {
      var alone = settings
      alone.seed = seed
      let single = try Self.record(alone, seeds: nil, path: folder.file("s\(seed).jsonl"))
      let mine = log.session(seed: seed)
      func key(_ m: SessionLog.Metric) -> [UInt64] {
        [UInt64(m.step), UInt64(m.index), UInt64(m.iteration), m.loss?.bitPattern ?? 0]
      }
      // In file order they differ (one session writes a chunk model by model, an ensemble
      // step by step); as sets of (step, model) they are the same, bit for bit.
      func sorted(_ l: SessionLogContents) -> [[UInt64]] {
        l.metrics.map { key($0.record) }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
      }
      #expect(sorted(mine) == sorted(single) && !sorted(mine).isEmpty)
      #expect(
        mine.evals.map(\.record.homogeneity_error) == single.evals.map(\.record.homogeneity_error))
      #expect(
        mine.end?.record.models.map(\.parameters) == single.end?.record.models.map(\.parameters))
      #expect(mine.header.A == single.header.A)
      let report = LogVerifier.verify(mine)
      #expect(report.difference == nil && report.endChecked)
    }
  }

  @Test func theReaderChecksTheSeeds() throws {
    let folder = try TemporaryFolder("ensemble-log")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("e.jsonl")
    _ = try Self.record(SessionSettings(iterations: 50), seeds: [1, 2], path: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let cases: [(String, String, String)] = [
      ("\"seed\":2,", "\"seed\":9,", "seed 9 is not the header's"),
      ("{\"type\":\"metric\",\"seed\":1,", "{\"type\":\"metric\",", "no seed in an ensemble's log"),
      ("\"seeds\":[1,2]", "\"seeds\":[1,1]", "seeds must be distinct"),
    ]
    for (from, to, expected) in cases {
      guard let range = text.range(of: from) else {
        Issue.record("no '\(from)' in the log")
        continue
      }
      let changed = text.replacingCharacters(in: range, with: to)
      do {
        _ = try LogReader.parse(Data(changed.utf8), path: "e.jsonl")
        Issue.record("\(to) was accepted")
      } catch {
        #expect("\(error)".contains(expected), "\(error)")
      }
    }
  }
}
