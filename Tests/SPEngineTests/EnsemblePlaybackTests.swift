import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// An ensemble's log replayed: every seed's session on the log's clock, each model over the
/// seeds as the live ensemble shows it.
@Suite struct EnsemblePlaybackTests {
  @Test func theReplayShowsTheMediansAndBandsOfTheSeedsRecords() throws {
    let folder = try TemporaryFolder("ensemble-replay")
    defer { withExtendedLifetime(folder) {} }
    let seeds: [UInt64] = [3, 1, 2, 8]
    let log = try EnsembleLogTests.record(
      SessionSettings(models: ["vanilla", "linear"], iterations: 300), seeds: seeds,
      path: folder.file("e.jsonl"))
    // One pass gives each seed's session as `session(seed:)` does.
    let sessions = log.sessions()
    #expect(sessions.count == seeds.count)
    for (k, s) in sessions.enumerated() {
      let one = log.session(seed: seeds[k])
      #expect(s.metrics.map(\.line) == one.metrics.map(\.line) && !s.metrics.isEmpty)
      #expect(s.evals.map(\.line) == one.evals.map(\.line))
      #expect(s.header.settings.seed == seeds[k])
    }
    let playback = EnsemblePlayback(log)
    var cursor = playback.makeCursor()
    let end = cursor.snapshot(at: playback.duration, playing: false, version: 1)
    #expect(end.state == .done && end.ensemble?.seeds == seeds)
    #expect(end.models.map(\.label) == ["vanilla", "linear"])
    for (i, model) in end.models.enumerated() {
      // Each seed's last metric record of this model: the median shown is theirs.
      let last = sessions.map { s in s.metrics.last { $0.record.index == i }!.record }
      let apriori = last.map { $0.apriori_error ?? .nan }
      #expect(model.aprioriError == SeedStatistics(apriori).median)
      #expect(model.ensemble?.seeds == seeds.count)
      #expect(model.ensemble?.apriori.q1 == SeedStatistics(apriori).q1)
      // The band's last point is the median over the seeds at the last recorded step.
      let band = try #require(model.ensemble?.aprioriBand)
      #expect(band.median.lastIteration == last[0].step)
      #expect(band.median.last == SeedStatistics(apriori).median)
      #expect(model.ensemble?.aprioriTraces.count == seeds.count)
    }
    // Evidence on what the log records of each seed: linear against vanilla.
    let evidence = try #require(end.ensemble?.evidence)
    #expect(Set(evidence.map(\.property)) == ["additivity", "apriori_error"])
    #expect(evidence.allSatisfy { $0.model == "linear" && $0.against == "vanilla" && $0.of > 0 })
    // Back in time: the bands end at the step shown, then grow again going forward.
    let middle = playback.duration / 2
    let earlier = cursor.snapshot(at: middle, playing: false, version: 2)
    let step = playback.step(at: middle)
    #expect(step < end.step)
    for model in earlier.models {
      let last = try #require(model.ensemble?.aprioriBand.median.lastIteration)
      #expect(last <= step)
    }
    let again = cursor.snapshot(at: playback.duration, playing: false, version: 3)
    #expect(again.models.map(\.aprioriError) == end.models.map(\.aprioriError))
    #expect(
      again.models.map { $0.ensemble?.aprioriBand } == end.models.map { $0.ensemble?.aprioriBand })
  }

  @Test func theFiguresDrawEachModelsMedianOverItsBands() throws {
    let folder = try TemporaryFolder("ensemble-figures")
    defer { withExtendedLifetime(folder) {} }
    let seeds: [UInt64] = [4, 9, 1]
    let log = try EnsembleLogTests.record(
      SessionSettings(models: ["vanilla", "penalized-scaled", "linear"], iterations: 200),
      seeds: seeds, path: folder.file("e.jsonl"))
    let plot = LogExport.ensembleAprioriFigure(log)
    #expect(plot.series.count == 3 && plot.bands.count == 6)
    for (i, series) in plot.series.enumerated() {
      #expect(series.name.hasSuffix("(median of 3)"))
      var byStep: [Int: [Double]] = [:]
      for (_, m) in log.metrics where m.index == i {
        if let v = m.apriori_error { byStep[m.step, default: []].append(v) }
      }
      let expected = byStep.sorted { $0.key < $1.key }.map { (Double($0.key), $0.value) }
      #expect(series.points.map(\.x) == expected.map(\.0))
      #expect(series.points.map(\.y) == expected.map { SeedStatistics($0.1).median! })
      // Its quartile band (the second half of the bands) and min–max band (the first half).
      let quartiles = plot.bands[3 + i]
      let extremes = plot.bands[i]
      #expect(quartiles.lower.map(\.y) == expected.map { SeedStatistics($0.1).q1! })
      #expect(quartiles.upper.map(\.y) == expected.map { SeedStatistics($0.1).q3! })
      #expect(extremes.lower.map(\.y) == expected.map { $0.1.min()! })
      #expect(extremes.upper.map(\.y) == expected.map { $0.1.max()! })
    }
    let svg = plot.render()
    #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 6)
    FigureExtentTests.expectInsidePage(svg)
    let smoothed = LogExport.ensembleAprioriFigure(log, smoothing: 0.9)
    #expect(smoothed.series.filter(\.faint).count == 3)
    FigureExtentTests.expectInsidePage(smoothed.render())
    let homogeneity = LogExport.ensembleHomogeneityFigure(log)
    #expect(homogeneity.bands.count == 6)
    for (i, series) in homogeneity.series.enumerated() {
      let last = seeds.map { seed in
        log.evals.last { $0.record.index == i && $0.record.seed == seed }!.record
      }
      #expect(series.name.contains("step \(last[0].step), median of 3"))
      for (j, p) in series.points.enumerated() {
        let values = last.map { $0.homogeneity_error[j] ?? .infinity }
        #expect(p.y == SeedStatistics(values).median)
      }
    }
    FigureExtentTests.expectInsidePage(homogeneity.render())
  }
}
