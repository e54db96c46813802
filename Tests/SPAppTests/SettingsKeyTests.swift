import SPDashboard
import SPEngine
import SPTUI
import Testing

@testable import SPApp

/// The settings popup through the whole dashboard: values change with ← / →, Enter applies
/// them to the focused model or to every model, and a refusal stays in the popup.
@Suite struct SettingsKeyTests {
  @Test func changeTheOptimizerAndBatchOfTheFocusedModel() throws {
    let session = try DashboardLoopTests.session(models: ["vanilla", "linear"])
    let backend = TestBackend(
      width: 120, height: 40,
      script: [
        .until("running") { $0.contains("RUNNING") },
        .key(.character("e")), .until("popup") { $0.contains("settings of vanilla") },
        .key(.right), .key(.down), .key(.right),
        .until("edited") { $0.contains("momentum") && $0.contains("batch           40") },
        .key(.enter), .until("closed") { !$0.contains("settings of vanilla") },
        .until("labelled marker") { $0.contains("optimizer momentum, batch 40") },
        .key(.character("q")),
      ])
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let last = try #require(session.snapshot)
    #expect(last.models[0].settings?.optimizer == .momentum && last.models[0].settings?.batch == 40)
    #expect(last.models[1].settings?.optimizer == .sgd && last.models[1].settings?.batch == 20)
  }

  @Test func everyModelAndARefusalInsideThePopup() throws {
    let session = try DashboardLoopTests.session(models: ["vanilla", "linear"])
    var script: [TestBackend.Step] = [
      .until("running") { $0.contains("RUNNING") },
      .key(.character("e")), .until("popup") { $0.contains("settings of vanilla") },
      .key(.up), .key(.right), .until("every model") { $0.contains("settings of every model") },
      // The width doubled 16 times (327,680): far past the memory limit.
      .key(.down), .key(.down), .key(.down), .key(.down),
    ]
    script += Array(repeating: .key(.right), count: 16)
    script += [
      .key(.enter), .until("refused") { $0.contains("needs about") },
      .until("still open") { $0.contains("settings of every model") },
      .key(.escape), .until("closed") { !$0.contains("settings of every model") },
      .key(.character("e")), .key(.up), .key(.right), .key(.down), .key(.down), .key(.down),
      .key(.left), .key(.enter),
      .until("applied") {
        !$0.contains("settings of every model") && $0.contains("penalty weight 0.5")
      },
      .key(.character("q")),
    ]
    let backend = TestBackend(width: 120, height: 40, script: script)
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let last = try #require(session.snapshot)
    #expect(
      last.models.allSatisfy { $0.settings?.penaltyWeight == 0.5 && $0.settings?.width == nil })
  }
}
