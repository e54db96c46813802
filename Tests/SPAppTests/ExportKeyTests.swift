import Foundation
import SPDashboard
import SPEngine
import SPTUI
import SPTestSupport
import Testing

@testable import SPApp

/// `E` through the test backend: it writes the big chart and the λ panel as on screen (range,
/// smoothing, raw curves faint) to a fresh SVG file, the footer says where, a second press
/// writes a second file, and a write that fails is a footer message.
@Suite struct ExportKeyTests {
  /// The SVG files in `folder`, by name.
  static func figures(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".svg") }.sorted()
  }

  /// The texts of each figure of an exported page that lie outside its figure's page.
  static func textsOutside(_ page: String) -> [String] {
    let measure = SVGTexts(width: SVGPlot.textWidth)
    // Each nested figure, as a document of its own (its `<svg` line second).
    let parts = page.components(separatedBy: "<svg x=\"0\" ").dropFirst()
    #expect(parts.count == 2, "the big chart and the λ panel")
    return parts.flatMap { measure.outside("<?xml?>\n<svg " + $0) }
  }

  @Test func theKeyWritesTheChartsAsShownAndNeverOverwrites() throws {
    let folder = try TemporaryFolder("export")
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 400), publishInterval: 1.0 / 120)
    session.start()
    var first = ""
    let backend = TestBackend(
      width: 160, height: 40,
      script: [
        .until("done") { $0.contains("DONE") },
        .key(.character("z")), .key(.character("g")),
        .until("smoothed, last 100") { $0.contains("smoothed 0.6") && $0.contains("last 100") },
        .key(.character("E")),
        .until("the footer says the path") { screen in
          guard let name = Self.figures(in: folder.path).first else { return false }
          first = name
          return screen.contains("view exported to \(folder.path)/\(name)")
        },
        .key(.character("E")),
        .until("a second file, said") { screen in
          let names = Self.figures(in: folder.path)
          guard names.count == 2, let second = names.first(where: { $0 != first }) else {
            return false
          }
          return screen.contains("view exported to \(folder.path)/\(second)")
        },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend) {
      $0.tailSteps = 100
      $0.exporter = ViewExport(folder: folder.path)
    }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let names = Self.figures(in: folder.path)
    #expect(names.count == 2)
    #expect(names.allSatisfy { $0.hasPrefix("sptop-view-") })
    // The page is the one of the frame on screen: the session is done, its snapshot is that.
    let snapshot = try #require(session.snapshot)
    let page = try #require(
      DashboardView(snapshot: snapshot, state: loop.state).exportedPage())
    for name in names {
      let text = try String(contentsOfFile: folder.path + "/" + name, encoding: .utf8)
      #expect(text == page.render())
      #expect(text.contains("class=\"raw\"") && text.contains("class=\"series\""))
      #expect(Self.textsOutside(text).isEmpty, "\(Self.textsOutside(text))")
    }
    // The big chart: the last 100 steps, smoothed (over the whole run, then cut), the raw
    // curves faint behind, on the log axis shown.
    let chart = page.plots[0]
    let kept = 300.0...400.0
    let m = snapshot.models[0]
    #expect(snapshot.step == 400 && chart.logY)
    let scale = ChartScale.log10(floor: DashboardView.logFloor)
    let lines = chart.series.filter { !$0.faint }
    let raw = chart.series.filter(\.faint)
    #expect(lines.map(\.name) == ["a-priori error", "loss"])
    for (k, history) in [m.aprioriHistory, m.lossHistory].enumerated() {
      let smoothed = Smoothing.ema(history.points, weight: 0.6, scale: scale)
        .filter { kept.contains($0.x) }
      #expect(!smoothed.isEmpty)
      #expect(lines[k].points.map(\.x) == smoothed.map(\.x))
      #expect(lines[k].points.map(\.y) == smoothed.map(\.y))
      #expect(raw[k].points.map(\.y) == history.points.filter { kept.contains($0.x) }.map(\.y))
    }
    #expect(chart.series.allSatisfy { $0.points.allSatisfy { kept.contains($0.x) } })
    #expect(chart.xDomain == kept)
    #expect(chart.notes.contains("smoothed: EMA 0.6 in log space"))
    #expect(chart.notes.contains("range: last 100 steps (of 400)"))
    // The λ panel: each model's homogeneity error over the probe's λ.
    let lambda = page.plots[1]
    #expect(lambda.series.first?.points.map(\.x) == snapshot.lambdas)
    #expect(
      lambda.series.first?.points.map(\.y) == snapshot.models[0].structure.homogeneity)
  }

  @Test func aWriteThatFailsIsAFooterMessage() throws {
    let folder = try TemporaryFolder("export")
    let missing = folder.path + "/missing"
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 100), publishInterval: 1.0 / 120)
    session.start()
    let backend = TestBackend(
      width: 160, height: 40,
      script: [
        .until("done") { $0.contains("DONE") },
        .key(.character("E")),
        .until("why not") { $0.contains("export: the folder '\(missing)' does not exist") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend) {
      $0.exporter = ViewExport(folder: missing)
    }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(Self.figures(in: folder.path).isEmpty)
  }

  /// A full disk (`/dev/full`): the write says why, short, for the footer.
  @Test func aFullDiskSaysWhy() throws {
    let fd = open("/dev/full", O_WRONLY)
    try #require(fd >= 0)
    #expect(
      ViewExport.write(String(repeating: "x", count: 100_000), closing: fd)
        == "No space left on device")
  }

  @Test func theReplayExportsNextToItsLog() throws {
    let folder = try TemporaryFolder("export")
    let backend = TestBackend(
      width: 160, height: 40,
      script: [
        .until("replay") { $0.contains("REPLAY") },
        .key(.character("E")),
        .until("said") { screen in
          guard let name = Self.figures(in: folder.path).first else { return false }
          return screen.contains("view exported to \(folder.path)/\(name)")
        },
        .key(.character("q")),
      ])
    var loop = ReplayLoop(playback: try ReplayLoopTests.fixture(), terminal: backend, fps: 240)
    loop.exporter = ViewExport(folder: folder.path)
    #expect(loop.run() == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let names = Self.figures(in: folder.path)
    #expect(names.count == 1)
    let text = try String(contentsOfFile: folder.path + "/" + names[0], encoding: .utf8)
    #expect(text.contains("Homogeneity error over λ at step"))
    #expect(Self.textsOutside(text).isEmpty, "\(Self.textsOutside(text))")
  }

  /// A `[keys]` rebinding moves the export like any action; the help lists it with `r`.
  @Test func theKeyCanBeReboundAndTheHelpListsIt() throws {
    let map = try KeyMap.standard.rebinding([(.exportView, [.character("X")])])
    var state = DashboardState()
    #expect(state.update(with: .character("X"), keyMap: map, modelCount: 1) == [.exportView])
    #expect(state.update(with: .character("E"), keyMap: map, modelCount: 1).isEmpty)
    #expect(
      KeyMap.standard.helpEntries.contains {
        $0.keys == "r / E" && $0.description.contains("export the view as SVG")
      })
    #expect(map.helpEntries.contains { $0.keys == "r / X" })
    // The replay has no `r`: the export has a row of its own.
    #expect(KeyMap.replay.helpEntries.contains { $0.keys == "E" && $0.description.contains("SVG") })
    #expect(KeyMap.standard.hints.contains { $0.key == "E" && $0.label == "Export" })
  }
}
