import Foundation
import SPDashboard
import SPEngine
import SPTUI
import SPTestSupport
import Testing

@testable import SPApp

/// The replay driven through the test backend: play, pause, seek by the unit shown, speed.
@Suite struct ReplayLoopTests {
  static func fixture() throws -> LogPlayback {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("SPEngineTests/Fixtures/session-v1.jsonl")
    return LogPlayback(try LogReader.read(path: path.path))
  }

  static func step(_ screen: String) -> Int? {
    guard let r = screen.range(of: "step ") else { return nil }
    return Int(screen[r.upperBound...].prefix { $0.isNumber })
  }

  @Test func seekPlayPauseAndSpeed() throws {
    let playback = try Self.fixture()
    let unit = playback.seekStep
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("replay") { $0.contains("REPLAY") },
        .key(.character(" ")), .until("paused") { $0.contains("PAUSED") },
        .key(.home),  // unbound: nothing happens
        .key(.left), .until("at the start") { Self.step($0) == 0 },
        .key(.right), .until("one unit") { Self.step($0) == unit },
        .key(.right), .until("two units") { Self.step($0) == 2 * unit },
        .key(.left), .until("back one") { Self.step($0) == unit },
        .key(.character("]")), .until("faster") { $0.contains("×2") },
        .key(.character("[")), .key(.character("[")), .until("slower") { $0.contains("×0.5") },
        .key(.character("a")), .until("focus") { $0.contains("▶ penalized") },
        .key(.character("q")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    let status = loop.run()
    #expect(status == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(backend.screen.contains("←→ ±\(unit)"))
    #expect(Self.step(backend.screen) == unit, "paused after the seeks")
  }

  @Test func playingToTheEndShowsDoneAndSpaceStartsAgain() throws {
    let playback = try Self.fixture()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .key(.character("]")), .key(.character("]")), .key(.character("]")),
        .key(.character("]")),
        .until("done") { $0.contains("DONE") && $0.contains("avg") },
        .key(.character(" ")), .until("again") { $0.contains("RUNNING") },
        .key(.character("q")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    #expect(loop.run() == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
  }
}

/// `f` in a replay: the loop ends with the step shown, and a live session forked there shows its
/// parent in the header and trains on from that step.
@Suite struct ReplayForkTests {
  @Test func theForkKeyHandsOverTheStepShownAndTheForkTrainsFromIt() throws {
    let playback = try ReplayLoopTests.fixture()
    let unit = playback.seekStep
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("replay") { $0.contains("REPLAY") },
        .key(.character(" ")), .until("paused") { $0.contains("PAUSED") },
        .key(.left), .until("at the start") { ReplayLoopTests.step($0) == 0 },
        .key(.right), .key(.right), .until("two units") { ReplayLoopTests.step($0) == 2 * unit },
        .key(.character("f")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    #expect(loop.run() == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let step = try #require(loop.forkStep)
    #expect(step == 2 * unit)

    let fork = try SessionFork(parent: playback.log, parentPath: playback.log.path, at: step)
    let session = try TrainingSession(fork: fork, pace: Pace(stepsPerSecond: 200))
    session.start()
    defer {
      session.send(.stop)
      session.waitUntilFinished()
    }
    let live = TestBackend(
      width: 120, height: 40,
      script: [
        .until("the fork's header") {
          $0.contains("fork of session-v1.jsonl@\(step)") && $0.contains("RUNNING")
        },
        .until("training on") { (ReplayLoopTests.step($0) ?? 0) > step },
        .key(.character("q")),
      ])
    var dashboard = DashboardLoop(
      session: session, terminal: live, fps: 240, modelCount: fork.settings.models.count)
    #expect(dashboard.run() == 0)
    #expect(live.timedOut.isEmpty, "\(live.timedOut)\n\(live.screen)")
  }

  @Test func theForkKeyIsRebindableAndListedInTheReplaysHelp() throws {
    let map = try KeyMap.replay.rebinding([(.fork, [.character("F")])])
    #expect(map.isReplay)
    #expect(map.action(for: .character("F")) == .fork)
    #expect(map.action(for: .character("f")) == nil)
    #expect(
      KeyMap.replay.helpEntries.contains { $0.keys == "f" && $0.description.contains("fork") })
    #expect(KeyMap.standard.action(for: .character("f")) == nil)
  }
}

/// An ensemble's log replayed through the test backend: the header names the seeds, each row
/// shows a median with its quartiles, and `f` hands over the step shown; the fork is an ensemble
/// of the same seeds, medians and bands from the parent's start, training on from that step.
@Suite struct EnsembleReplayLoopTests {
  @Test func anEnsemblesLogReplaysWithMediansAndForksAnEnsemble() throws {
    let folder = try TemporaryFolder("ensemble-replay-loop")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("e.jsonl")
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 400), stopsWhenDone: true, seeds: [1, 2, 3, 4, 5],
      threads: 2)
    session.send(
      .startRecording(try LogFile.create(path: path, force: false), logEvery: 10, evalEvery: 50))
    session.start()
    session.waitUntilFinished()
    let playback = EnsemblePlayback(try LogReader.read(path: path))
    let unit = playback.seekStep
    let backend = TestBackend(
      width: 200, height: 50,
      script: [
        .until("replay, fork hint") {
          $0.contains("REPLAY") && $0.contains("seeds 1-5") && $0.contains("Quit")
            && $0.contains("Fork")
        },
        .key(.character(" ")), .until("paused") { $0.contains("PAUSED") },
        .key(.left), .until("at the start") { ReplayLoopTests.step($0) == 0 },
        .key(.right), .key(.right),
        .until("medians") {
          $0.contains("vanilla") && $0.contains(" [") && ReplayLoopTests.step($0) == 2 * unit
        },
        .key(.character("f")),
      ])
    var loop = ReplayLoop(playback: playback, terminal: backend, fps: 240)
    #expect(loop.run() == 0)
    #expect(backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let step = try #require(loop.forkStep)
    #expect(step == 2 * unit)

    let fork = try SessionFork(parent: playback.whole.log, parentPath: path, at: step)
    let forked = try TrainingSession(fork: fork, pace: Pace(stepsPerSecond: 200), threads: 2)
    forked.start()
    defer {
      forked.send(.stop)
      forked.waitUntilFinished()
    }
    let live = TestBackend(
      width: 200, height: 50,
      script: [
        .until("the fork's header") {
          $0.contains("fork of e.jsonl@\(step)") && $0.contains("seeds 1-5")
            && $0.contains("RUNNING")
        },
        .until("training on, medians") {
          (ReplayLoopTests.step($0) ?? 0) > step && $0.contains("vanilla") && $0.contains(" [")
        },
        .key(.character("q")),
      ])
    var dashboard = DashboardLoop(
      session: forked, terminal: live, fps: 240, modelCount: fork.settings.models.count)
    #expect(dashboard.run() == 0)
    #expect(live.timedOut.isEmpty, "\(live.timedOut)\n\(live.screen)")
    // The bands reach back to the parent's start.
    let snapshot = try #require(forked.snapshot)
    for model in snapshot.models {
      let band = try #require(model.ensemble?.aprioriBand)
      #expect(band.median.buckets.first?.firstIteration == 0)
    }
  }
}
