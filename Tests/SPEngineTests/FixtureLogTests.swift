import Foundation
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
}
