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

  /// The session's rows: a refusal inside the popup (skew at n = 1), then target skew and n 8
  /// after the question restart every model on the new problem, each with a labelled marker.
  @Test func targetAndNRestartEveryModelAfterAQuestion() throws {
    let session = try DashboardLoopTests.session(models: ["vanilla", "linear"])
    var script: [TestBackend.Step] = [
      .until("running") { $0.contains("RUNNING") },
      .key(.character("e")), .until("popup") { $0.contains("settings of vanilla") },
      // Up from optimizer: apply to, then n (the last row); n 5 → 1, then target skew.
      .key(.up), .key(.up), .key(.left), .key(.left), .key(.left), .key(.left),
      .key(.up), .key(.right), .until("skew at n 1") { $0.contains("skew") },
      .key(.enter), .until("refused") { $0.contains("target skew: needs n ≥ 2") },
      .until("still open") { $0.contains("settings of vanilla") },
      .key(.down),
    ]
    script += Array(repeating: .key(.right), count: 7)
    script += [
      .key(.enter), .until("asked") { $0.contains("restart every model with target skew, n 8?") },
      .key(.escape), .until("back to editing") { $0.contains("Enter apply") },
      .key(.enter), .until("asked again") { $0.contains("y / Enter restart every model") },
      .key(.character("y")), .until("closed") { !$0.contains("settings of vanilla") },
      .until("labelled marker") { $0.contains("target skew, n 8") && $0.contains("n 8") },
      // Every view follows: the matrix of the new target (linear represents skew, vanilla at
      // width n does not), the waterfall, and the rollout the skew target now has.
      .key(.character("m")),
      .until("matrix") {
        $0.contains("structure matrix · target skew")
          && $0.split(separator: "\n").contains { $0.contains("│linear ") && $0.hasSuffix(" yes│") }
      },
      .key(.character("w")), .until("waterfall") { $0.contains("homogeneity error over λ") },
      .key(.character("o")), .until("rollout") { $0.contains("energy ‖x(t)‖² along dx/dt") },
      .key(.character("q")),
    ]
    let backend = TestBackend(width: 120, height: 40, script: script)
    let (status, _) = DashboardLoopTests.run(session, backend)
    #expect(status == 0 && backend.timedOut.isEmpty, "\(backend.timedOut)\n\(backend.screen)")
    let last = try #require(session.snapshot)
    #expect(last.settings.target == .skew && last.settings.n == 8)
    #expect(last.models.allSatisfy { $0.problemChanges.map(\.description) == ["target skew, n 8"] })
    #expect(last.models[1].parameterCount == 8 * 8, "linear, B1 x: n² parameters")
  }
}
