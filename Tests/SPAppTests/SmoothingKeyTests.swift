import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// `z` through the test backend: it cycles the big chart's smoothing off → 0.6 → 0.9 → 0.99 →
/// off and the title says which, in log space on a log axis; the raw curves stay faint behind;
/// the same on a replay and on an ensemble's medians and bands.
@Suite struct SmoothingKeyTests {
  static let title = "vanilla · a-priori error and loss"
  /// The title at 120 columns when smoothed on a log axis: the smoothing whole, the rest short.
  static let short = "┏  vanilla · smoothed"

  /// Whether the last frame's big chart (below the models pane, left of the λ panel) has dim
  /// plotted cells (the raw curves behind the smoothed ones).
  static func chartHasFaintCurves(_ backend: TestBackend) -> Bool {
    guard let frame = backend.frames.last else { return false }
    let lines = frame.lines
    guard let top = lines.firstIndex(where: { $0.hasPrefix("┏") }) else {
      return false
    }
    for y in (top + 1)..<min(frame.area.height, top + 12) {
      for x in 8..<(frame.area.width / 2) {
        let cell = frame[x, y]
        let braille = (0x2801...0x28FF).contains(cell.symbol.value)
        if braille && cell.style.attributes.contains(.dim) { return true }
      }
    }
    return false
  }

  @Test func theKeyCyclesTheWeightsAndTheTitleSaysWhich() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 400), publishInterval: 1.0 / 120)
    session.start()
    var faintWhenSmoothed = false
    var faintWhenRaw = true
    var backend: TestBackend!
    backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("done") { $0.contains("DONE") && $0.contains(Self.title + " ") },
        .until("raw, nothing faint") { _ in
          faintWhenRaw = Self.chartHasFaintCurves(backend)
          return true
        },
        .key(.character("z")),
        .until("0.6") { $0.contains(Self.short + " 0.6 in log space ") },
        .until("raw faint behind") { _ in
          faintWhenSmoothed = Self.chartHasFaintCurves(backend)
          return true
        },
        .key(.character("z")),
        .until("0.9") { $0.contains(Self.short + " 0.9 in log space ") },
        .key(.character("z")),
        .until("0.99") { $0.contains(Self.short + " 0.99 in log space ") },
        .key(.character("l")),
        .until("linear: no log space") {
          $0.contains(Self.title + " · smoothed 0.99 ") && !$0.contains("log space")
        },
        .key(.character("z")),
        .until("off") { $0.contains(Self.title + " ") && !$0.contains("smoothed") },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.state.smoothing == 0)
    #expect(faintWhenSmoothed, "no faint raw curve behind the smoothed one")
    #expect(!faintWhenRaw, "a faint curve without smoothing")
  }

  /// `--smoothing` is where the loop starts; the key goes on from there to the next preset.
  @Test func theLoopStartsFromTheFlagsWeight() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 200), publishInterval: 1.0 / 120)
    session.start()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("0.95") { $0.contains(Self.short + " 0.95 in log space ") },
        .key(.character("z")),
        .until("0.99") { $0.contains("smoothed 0.99 in log space") },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend) { $0.smoothing = 0.95 }
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.state.smoothing == 0.99)
  }

  /// A `[keys]` rebinding moves smoothing to another key like any action.
  @Test func theKeyCanBeRebound() throws {
    let map = try KeyMap.standard.rebinding([(.smoothing, [.character("y")])])
    var state = DashboardState()
    #expect(state.update(with: .character("y"), keyMap: map, modelCount: 3).isEmpty)
    #expect(state.smoothing == 0.6)
    _ = state.update(with: .character("z"), keyMap: map, modelCount: 3)
    #expect(state.smoothing == 0.6)
    // The help lists it with the log key on one row (the help at 80×24 has no row to spare).
    #expect(map.helpEntries.contains { $0.keys == "l / y" && $0.description.contains("0.99") })
    #expect(
      KeyMap.standard.helpEntries.contains {
        $0.keys == "l / z"
          && $0.description == "log / linear y axis; smoothing: off, 0.6, 0.9, 0.99"
      })
    #expect(KeyMap.replay.helpEntries.contains { $0.keys == "l / z" })
    // Unbound log key: smoothing has a row of its own.
    let alone = try KeyMap.standard.rebinding([(.toggleLogScale, [])])
    #expect(alone.helpEntries.contains { $0.keys == "z" && $0.description.contains("smooth") })
  }

  @Test func theReplaySmoothsToo() throws {
    let playback = try ReplayLoopTests.fixture()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("replay at 0.9") {
          $0.contains("REPLAY") && $0.contains("· smoothed 0.9 in log space ")
        },
        .key(.character("z")),
        .until("0.99") { $0.contains("· smoothed 0.99 in log space ") },
        .key(.character("z")),
        .until("off") { $0.contains("a-priori error and loss ") && !$0.contains("smoothed") },
        .key(.character("q")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    loop.smoothing = 0.9
    #expect(loop.run() == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.state.smoothing == 0)
  }

  /// An ensemble: the medians are smoothed and the bands' edges with them; the title says so.
  @Test func anEnsemblesMediansAndBandsAreSmoothed() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 300), publishInterval: 1.0 / 120,
      seeds: [1, 2, 3], threads: 2)
    session.start()
    let backend = TestBackend(
      width: 160, height: 44,
      script: [
        .until("done") { $0.contains("DONE") && $0.contains("of 3 seeds") },
        .key(.character("z")),
        .until("smoothed medians over bands") {
          $0.contains("vanilla · medians of 3 seeds · smoothed 0.6 in log space ")
            && $0.contains("░")
        },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(Self.chartHasFaintCurves(backend))
  }
}
