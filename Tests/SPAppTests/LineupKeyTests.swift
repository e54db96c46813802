import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// Switching, adding and removing models from the keyboard, through the whole dashboard.
@Suite struct LineupKeyTests {
  @Test func switchAddAndRemoveThroughThePicker() throws {
    let session = try DashboardLoopTests.session(models: ["vanilla", "linear"])
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("running") { $0.contains("RUNNING") },
        // c: the picker over the catalogue, on the focused model's own architecture.
        .key(.character("c")), .until("picker") { $0.contains("replace vanilla by") },
        .until("catalogue") { $0.contains("penalized-scaled") && $0.contains("N = f?") },
        .key(.down), .key(.down), .key(.enter),
        .until("replaced") { !$0.contains("replace vanilla by") && $0.contains("▶ linear#2") },
        .until("a labelled marker") { $0.contains("→ linear") },
        // i: add a model at the end (Esc first shows the picker closes without a change).
        .key(.character("i")), .until("add picker") { $0.contains("add a model") },
        .key(.escape), .until("closed") { !$0.contains("add a model") },
        .key(.character("i")), .until("add picker again") { $0.contains("add a model") },
        .key(.up), .key(.enter), .until("added") { $0.contains("▶ mass") },
        // x: remove the focused model; the focus stays in the lineup.
        .key(.character("x")), .until("removed") { !$0.contains(" mass ") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let last = try #require(session.snapshot)
    #expect(last.models.map(\.label) == ["linear#2", "linear"])
    #expect(last.models[0].switches.map(\.to) == ["linear"])
  }

  @Test func theLastModelStaysAndAFinishedRunTakesNoNewModel() throws {
    let session = try DashboardLoopTests.session(iterations: 100, models: ["vanilla"])
    let backend = TestBackend(
      width: 100, height: 30,
      script: [
        .until("done") { $0.contains("DONE") },
        .key(.character("x")), .until("last") { $0.contains("the last model cannot be removed") },
        .key(.character("c")), .until("no switch") { $0.contains("a new model would never train") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    #expect(session.snapshot?.models.map(\.label) == ["vanilla"])
  }
}
