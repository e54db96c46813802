import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// The pace keys through the whole dashboard: the header shows the pace each key sets.
@Suite struct PaceKeyTests {
  @Test func slowerFasterAndMaxShowInTheHeader() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 0), publishInterval: 1.0 / 120,
      pace: Pace(argument: "auto", iterations: 5000))
    session.start()
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("paced") { $0.contains("pace 500/s") },
        .key(.character("]")), .until("doubled") { $0.contains("pace 1000/s") },
        .key(.character("[")), .key(.character("[")),
        .until("halved") { $0.contains("pace 250/s") },
        .key(.character("p")), .until("max") { $0.contains("pace max") },
        .key(.character("p")), .until("back") { $0.contains("pace 250/s") },
        .key(.character("?")), .until("help") { $0.contains("halve / double the pace") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
  }

  /// `sptop run` and sessions made without a pace show none and are never throttled.
  @Test func anUnpacedSessionShowsNoPace() throws {
    let session = try DashboardLoopTests.session(iterations: 300)
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("done") { $0.contains("DONE") && !$0.contains("pace") },
        .key(.character("]")), .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(session.snapshot?.pace == nil)
  }
}
