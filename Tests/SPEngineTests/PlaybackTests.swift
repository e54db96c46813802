import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// Replay's cursor: moving through a recording frame by frame, forward and back, gives the
/// snapshot that building from the start gives at every moment.
@Suite struct PlaybackTests {
  /// The fields the dashboard shows, with floating-point values compared by their bits.
  static func differences(_ a: SessionSnapshot, _ b: SessionSnapshot) -> [String] {
    var out: [String] = []
    if a.step != b.step { out.append("step \(a.step) vs \(b.step)") }
    if a.state != b.state { out.append("state \(a.state) vs \(b.state)") }
    if a.elapsed.bitPattern != b.elapsed.bitPattern { out.append("elapsed") }
    for (i, (x, y)) in zip(a.models, b.models).enumerated() {
      let same =
        x.iteration == y.iteration && x.eta.bitPattern == y.eta.bitPattern
        && x.status == y.status && x.loss.bitPattern == y.loss.bitPattern
        && x.aprioriError.bitPattern == y.aprioriError.bitPattern
        && x.lossHistory == y.lossHistory && x.aprioriHistory == y.aprioriHistory
        && x.resets == y.resets && x.etaChanges == y.etaChanges
        && x.structure.additivity.bitPattern == y.structure.additivity.bitPattern
        && x.structure.homogeneity.map(\.bitPattern) == y.structure.homogeneity.map(\.bitPattern)
      if !same { out.append("model \(i) at iteration \(x.iteration) vs \(y.iteration)") }
    }
    if a.models.count != b.models.count { out.append("model count") }
    return out
  }

  /// Moves `cursor` to `t` and expects the snapshot a fresh start gives there.
  static func expectAgreement(
    _ cursor: inout LogPlayback.Cursor, at t: Double, playing: Bool,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let d = differences(
      cursor.snapshot(at: t, playing: playing),
      cursor.playback.snapshot(at: t, playing: playing))
    #expect(d.isEmpty, "at \(t): \(d)", sourceLocation: sourceLocation)
  }

  @Test func theCursorAgreesWithAFreshStartAtEveryMomentForwardAndBack() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try RecordingTests.recordedSession(in: folder)
    let playback = LogPlayback(try LogReader.read(path: path))
    #expect(playback.times.count > 20, "a recording with many moments")
    var cursor = LogPlayback.Cursor(playback)
    // Every recorded moment and the midpoints between them, in order: frame by frame.
    var moments: [Double] = [0]
    for (t, u) in zip(playback.times, playback.times.dropFirst()) { moments += [t, (t + u) / 2] }
    moments.append(playback.duration)
    for t in moments { Self.expectAgreement(&cursor, at: t, playing: true) }
    // Then jumps back and forth, as ← and → and restarting do.
    var rng = Xoshiro256(seed: 11)
    for _ in 0..<60 {
      let t = moments[Int(rng.next() % UInt64(moments.count))]
      Self.expectAgreement(&cursor, at: t, playing: false)
    }
  }

  @Test func aRecordWrittenOutOfTimeOrderShowsAtItsTime() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try RecordingTests.recordedSession(in: folder)
    var log = try LogReader.read(path: path)
    // Model 0's third metric record claims to come after everything else.
    let k = try #require(
      log.metrics.indices.filter { log.metrics[$0].record.index == 0 }.dropFirst(2).first)
    let moved = log.metrics[k].record
    let late = LogPlayback(log).duration + 1
    log.metrics[k].record.elapsed = late
    let playback = LogPlayback(log)
    #expect(playback.duration == late)
    var cursor = LogPlayback.Cursor(playback)
    let before = cursor.snapshot(at: late - 0.5, playing: true)
    let withLoss = log.metrics.filter { $0.record.index == 0 && $0.record.loss != nil }.count
    #expect(before.models[0].lossHistory.total == withLoss - 1)
    #expect(before.models[0].iteration != moved.iteration)
    let after = cursor.snapshot(at: late, playing: true)
    #expect(after.models[0].iteration == moved.iteration, "the late record is the last one taken")
    for t in [0, late / 3, late - 0.5, late] { Self.expectAgreement(&cursor, at: t, playing: true) }
  }

  @Test func theEndShowsEveryEventOfTheRecording() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try RecordingTests.recordedSession(in: folder)
    let log = try LogReader.read(path: path)
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let end = cursor.snapshot(at: playback.duration, playing: false)
    #expect(end.state == .done)
    let eta = log.events.last { $0.record.event == "eta" && $0.record.model == 1 }?.record.eta
    #expect(end.models[1].eta == 0.0007 && eta == 0.0007)
    #expect(end.models[0].etaChanges.count == 1)
    #expect(end.models[2].resets.count == 1)
    #expect(end.models.allSatisfy { $0.status == .done })
    let lastStep = log.metrics.map(\.record.step).max() ?? 0
    #expect(end.step >= lastStep && lastStep > 0)
    // Before the first record nothing has happened yet.
    let start = cursor.snapshot(at: -1, playing: false)
    #expect(start.models.allSatisfy { $0.lossHistory.isEmpty && $0.iteration == 0 })
  }
}
