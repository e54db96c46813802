import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

/// Logs written by earlier releases keep verifying and replaying.
@Suite struct FixtureLogTests {
  static func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/\(name)").path
  }

  /// Recorded from the dashboard with the log format version 1 release (before the events
  /// became commands): η changes on two models, focus changes, two resets, a pause with two
  /// single steps, a resume and a quit.
  @Test func aVersion1DashboardLogVerifiesAndReplays() throws {
    let log = try LogReader.read(path: Self.fixture("session-v1.jsonl"))
    #expect(log.header.version == 1)
    let kinds = Set(log.events.map(\.record.event))
    #expect(kinds.isSuperset(of: ["eta", "focus", "reset", "pause", "step", "resume", "end"]))
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.metricsChecked == log.metrics.count && report.metricsChecked > 100)
    #expect(report.evalsChecked == log.evals.count && report.parametersChecked > 0)
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let end = cursor.snapshot(at: playback.duration, playing: false)
    #expect(end.models[1].resets.count == 1 && end.models[2].resets.count == 1)
    #expect(end.models[0].eta == 0.002 && end.models[1].eta == 0.0005)
  }

  /// Recorded from the dashboard with the format version 2 release (events as commands, before
  /// models could be added, removed or replaced; records numbered by position): η changes on
  /// two models, two focus changes, a pause with two single steps, two resets, a quit.
  @Test func aVersion2DashboardLogVerifiesAndReplays() throws {
    let log = try LogReader.read(path: Self.fixture("session-v2.jsonl"))
    #expect(log.header.version == 2 && log.header.lineup.allSatisfy { $0.index == nil })
    let events = log.events.map(\.record)
    #expect(events.allSatisfy { $0.command != nil })
    #expect(Set(events.map(\.event)).isSuperset(of: ["eta", "focus", "reset", "pause", "step"]))
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.metricsChecked == log.metrics.count && report.metricsChecked > 400)
    #expect(report.evalsChecked == log.evals.count && report.parametersChecked > 0)
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let end = cursor.snapshot(at: playback.duration, playing: false)
    #expect(end.models.map(\.label) == ["vanilla", "penalized", "linear"])
    #expect(end.models.map(\.id) == [0, 1, 2])
    #expect(end.models[1].resets.count == 1 && end.models[2].resets.count == 1)
    #expect(end.models[0].eta == 0.002 && end.models[1].eta == 0.0005)
  }

  /// Version 2 records each event as the command the session applied; `verify` interprets
  /// that command with the live session's own interpreter.
  @Test func version2EventsAreTheCommandsTheSessionApplied() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try RecordingTests.recordedSession(in: folder)
    let log = try LogReader.read(path: path)
    #expect(log.header.version == SessionLog.version)
    let events = log.events.map(\.record)
    #expect(events.allSatisfy { $0.command != nil && $0.command?.name == $0.event })
    #expect(events.contains { $0.command == .setEta(model: 1, eta: 0.0007) })
    #expect(events.contains { $0.command == .reset(model: 2) })
    #expect(events.contains { $0.command == .focus(model: 1) })
    #expect(LogVerifier.verify(log).difference == nil)
    // The command is what is interpreted: a changed η in it (the version 1 fields left as
    // they were) makes the re-run differ.
    var forged = log
    let k = try #require(forged.events.firstIndex { $0.record.command?.eta == 0.0007 })
    forged.events[k].record.command = .setEta(model: 1, eta: 0.0008)
    #expect(LogVerifier.verify(forged).difference != nil)
    // Without the command (a version 1 record) the legacy fields say the same.
    var legacy = log
    for i in legacy.events.indices { legacy.events[i].record.command = nil }
    #expect(LogVerifier.verify(legacy).difference == nil)
    #expect(legacy.events.map(\.record.sessionEvent) == log.events.map(\.record.command))
  }
}
