import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// The session's state machine (running / paused / done) and the models' (training / paused /
/// done / diverged) tell one truth; a replay's ← / → move by a defined, visible amount.
@Suite struct StateTruthTests {
  @Test func modelsFollowTheSessionsState() throws {
    let session = try TrainingSession(settings: SessionSettings(iterations: 3000))
    session.start()
    let running = try #require(
      SessionTests.waitFor(session, timeout: 20) { $0.step > 50 && $0.state == .running })
    #expect(running.models.allSatisfy { $0.status == .training })
    session.send(.pause)
    let paused = try #require(SessionTests.waitFor(session, timeout: 20) { $0.state == .paused })
    #expect(paused.models.allSatisfy { $0.status == .paused })
    #expect(paused.stepsPerSecond > 0, "a paused session shows its mean rate")
    session.send(.resume)
    let done = try #require(SessionTests.waitFor(session, timeout: 20) { $0.state == .done })
    #expect(done.models.allSatisfy { $0.status == .done })
    // The mean over the time spent running: positive, and no more than the steps taken over
    // the shortest time they could have taken (a tenth of a millisecond per step is generous).
    #expect(done.stepsPerSecond > 0 && done.stepsPerSecond.isFinite)
    // R at the end of the run would leave a model that never trains: the session refuses it.
    session.send(.reset(model: 0))
    session.send(.pause)
    usleep(100_000)
    let after = try #require(session.snapshot)
    #expect(after.models[0].iteration == 3000 && after.models[0].loss.isFinite)
    #expect(after.models[0].resets.isEmpty)
    session.send(.stop)
    #expect(session.waitUntilFinished(timeout: 10))
  }

  @Test func aDivergedSessionTrainsAgainAfterAReset() throws {
    var settings = SessionSettings(iterations: 0)
    settings.models = ["vanilla"]
    settings.eta = 1e40
    let session = try TrainingSession(settings: settings)
    session.start()
    let done = try #require(SessionTests.waitFor(session, timeout: 20) { $0.state == .done })
    #expect(done.models[0].status == .diverged)
    session.send(.setEta(model: 0, eta: 1e-3))
    session.send(.reset(model: 0))
    let again = try #require(
      SessionTests.waitFor(session, timeout: 20) {
        $0.state == .running && $0.models[0].iteration > 10
      })
    #expect(again.models[0].status == .training)
    session.send(.stop)
    #expect(session.waitUntilFinished(timeout: 10))
  }

  /// ← / → move by `seekStep` session steps: 1% of the run rounded up to the log's cadence.
  @Test func replaySeeksByAVisibleAmount() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try RecordingTests.recordedSession(in: folder)
    let log = try LogReader.read(path: path)
    let playback = LogPlayback(log)
    let cadence = log.header.log_every
    let last = try #require(playback.stepTimes.last).step
    #expect(playback.seekStep % cadence == 0 && playback.seekStep >= cadence)
    #expect(playback.seekStep >= (last - log.header.start_step) / 100)
    var time = 0.0
    var steps: [Int] = [playback.step(at: time)]
    for _ in 0..<5 {
      time = playback.seek(from: time, by: 1)
      steps.append(playback.step(at: time))
    }
    // The first press already moves, and each moves by the unit (the log has every step of it).
    for (a, b) in zip(steps, steps.dropFirst()) {
      #expect(b - a == playback.seekStep, "\(steps)")
    }
    let back = playback.seek(from: time, by: -1)
    #expect(playback.step(at: back) == steps[4])
    #expect(playback.seek(from: playback.duration, by: 1) == playback.duration)
    #expect(playback.seek(from: 0, by: -1) == 0)
  }
}
