import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// The dashboard of an ensemble (`sptop --seeds`) through the test backend: the header names
/// the seeds, rows show medians with quartiles, the big chart medians over bands, `S` the
/// seeds' traces, the matrix median/worst and the evidence against vanilla.
@Suite struct EnsembleKeyTests {
  @Test func theEnsembleDashboardShowsMediansBandsTracesAndTheMatrix() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 600), publishInterval: 1.0 / 120,
      seeds: [1, 2, 3, 4, 5], threads: 2)
    session.start()
    let backend = TestBackend(
      width: 160, height: 44,
      script: [
        .until("done") { $0.contains("DONE") && $0.contains("seeds 1-5") },
        .until("a band in a row") { screen in
          screen.split(separator: "\n").contains {
            $0.contains("vanilla") && $0.contains("[") && $0.contains("]")
          }
        },
        .until("medians") { $0.contains("median a-priori error and loss of 5 seeds") },
        .until("shaded") { $0.contains("░") },
        .key(.character("S")),
        .key(.character("m")),
        .until("median/worst") { $0.contains("5 seeds: median/worst") },
        .until("evidence") {
          $0.contains("evidence against vanilla") && $0.contains("linear < vanilla:")
            && $0.contains("additivity 5/5 p 0.062")
        },
        .key(.character("q")),
      ])
    let (status, loop) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(loop.state.showTraces)
  }

  @Test func theTracesKeySaysWhatItIsForOutsideAnEnsemble() {
    var state = DashboardState()
    let snapshot = SessionSnapshot(
      settings: SessionSettings(), state: .running, step: 1, stepsPerSecond: 0, elapsed: 0,
      models: [], version: 1, lambdas: [])
    let effects = state.update(
      with: .character("S"), keyMap: .standard, modelCount: 3, session: snapshot)
    #expect(effects == [.notice("S shows each seed's curve in an ensemble (sptop --seeds)")])
    #expect(!state.showTraces)
  }
}
