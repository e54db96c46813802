import Foundation
import SPTestSupport
import Testing

@testable import SPEngine
@testable import SPNumerics

/// A session on its background queue, driven by commands from the test thread.
@Suite struct SessionTests {
  /// The first published snapshot of `session` for which `condition` holds; nil after
  /// `timeout` seconds. Every engine test waits for a session with it.
  static func waitFor(
    _ session: TrainingSession, timeout: Double = 10, _ condition: (SessionSnapshot) -> Bool
  ) -> SessionSnapshot? {
    SPTestSupport.waitFor(timeout: timeout) {
      session.snapshot.flatMap { condition($0) ? $0 : nil }
    }
  }

  @Test func headlessRunFinishesWithEveryModel() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 1000), publishInterval: 0.05, stopsWhenDone: true)
    session.start()
    #expect(session.waitUntilFinished(timeout: 30))
    let r = try #require(session.result)
    #expect(r.steps == 1000)
    #expect(r.models.map(\.name) == ["vanilla", "penalized", "linear"])
    #expect(r.models.allSatisfy { $0.iterations == 1000 && $0.status == "done" })
    #expect(r.models[2].final.homogeneity_error.count == 100)
    #expect(r.models[2].final.additivity_error! < 1e-12)
    #expect(r.models[0].final.homogeneity_error_at["-10"]!! > 0.01)
    #expect(r.A.count == 5 && r.A[0].count == 5)
    #expect(r.models[0].parameter_order == ["B1", "b1", "B2", "b2", "B3", "b3"])
  }

  @Test func sameSettingsGiveBitIdenticalResults() throws {
    func final() throws -> [[Double]] {
      let s = try TrainingSession(
        settings: SessionSettings(iterations: 700), publishInterval: 0.01, stopsWhenDone: true)
      s.start()
      s.waitUntilFinished()
      return try #require(s.result).models.map { m in
        m.final.homogeneity_error.map { $0 ?? .nan } + [m.final.apriori_error!, m.final.loss!]
      }
    }
    let a = try final()
    let b = try final()
    #expect(a.map { $0.map(\.bitPattern) } == b.map { $0.map(\.bitPattern) })
  }

  @Test func pauseStepEtaAndResetTakeEffect() throws {
    let session = try TrainingSession(settings: SessionSettings(iterations: 0))
    session.start()
    _ = try #require(Self.waitFor(session) { $0.step > 100 })
    session.send(.pause)
    let paused = try #require(Self.waitFor(session) { $0.state == .paused })
    usleep(50_000)
    let still = try #require(session.snapshot)
    #expect(still.step == paused.step)
    session.send(.step)
    let stepped = try #require(Self.waitFor(session) { $0.step == paused.step + 1 })
    #expect(stepped.models.allSatisfy { $0.iteration == paused.models[0].iteration + 1 })
    session.send(.scaleEta(model: 1, factor: 2))
    let scaled = try #require(Self.waitFor(session) { $0.models[1].eta == 0.002 })
    #expect(scaled.models[0].eta == 0.001)
    session.send(.reset(model: 2))
    let reset = try #require(Self.waitFor(session) { !$0.models[2].resets.isEmpty })
    #expect(reset.models[2].iteration == 0)
    #expect(reset.models[2].resets == [stepped.step])
    session.send(.resume)
    _ = try #require(Self.waitFor(session) { $0.state == .running && $0.step > stepped.step + 50 })
    session.send(.stop)
    #expect(session.waitUntilFinished(timeout: 10))
  }

  @Test func aDivergedModelStopsWhileTheOthersTrainOn() throws {
    let settings = SessionSettings(models: ["vanilla", "linear"], n: 50, iterations: 0)
    let session = try TrainingSession(settings: settings)
    session.start()
    session.send(.setEta(model: 0, eta: 1e6))
    let diverged = try #require(Self.waitFor(session) { $0.models[0].status == .diverged })
    let frozen = diverged.models[0].iteration
    let later = try #require(Self.waitFor(session) { $0.step > diverged.step + 200 })
    #expect(later.models[0].status == .diverged)
    #expect(later.models[0].iteration == frozen)
    #expect(later.models[1].status == .training)
    #expect(later.models[1].iteration > frozen + 200)
    #expect(later.state == .running)
    session.send(.stop)
    #expect(session.waitUntilFinished(timeout: 10))
    let r = try #require(session.result)
    #expect(r.models[0].status == "diverged")
    // The diverged model keeps its last finite parameters.
    guard case .matrix(let B1) = r.models[0].parameters["B1"]! else {
      Issue.record("B1 is not a matrix")
      return
    }
    #expect(B1.allSatisfy { $0.allSatisfy { $0 != nil && $0!.isFinite } })
  }

  /// Each refusal is typed by the setting it is about; its description names the setting (the
  /// command line names the flag, see `SettingsError.message(naming:)`).
  @Test func settingsErrorsNameTheSetting() {
    func refusal(_ s: SessionSettings) -> SettingsError? {
      do {
        try s.validate()
        return nil
      } catch {
        return error
      }
    }
    #expect(refusal(SessionSettings()) == nil)
    #expect(refusal(SessionSettings(models: ["vanila"])) == .unknownModel("vanila"))
    #expect(
      refusal(SessionSettings(models: ["vanila"]))!.description.hasPrefix(
        "models: unknown model 'vanila'; known: vanilla, penalized, linear"))
    #expect(refusal(SessionSettings(models: [])) == .noModels)
    #expect(refusal(SessionSettings(n: 0)) == .notPositive(.n, 0))
    #expect(refusal(SessionSettings(n: 0))!.description == "n: must be a positive integer, got 0")
    #expect(
      refusal(SessionSettings(n: 1_000_000_000))
        == .tooLargeToCount(n: 1_000_000_000, width: nil, batch: 20))
    #expect(refusal(SessionSettings(eta: 0)) == .notPositiveNumber(.eta, 0))
    #expect(refusal(SessionSettings(eta: .nan))?.setting == .eta)
    #expect(refusal(SessionSettings(eta: .infinity)) == .notPositiveNumber(.eta, .infinity))
    #expect(refusal(SessionSettings(batch: 0)) == .notPositive(.batch, 0))
    #expect(refusal(SessionSettings(iterations: -1)) == .negative(.iterations, -1))
    #expect(
      refusal(SessionSettings(iterations: -1))!.description
        == "iterations: must be ≥ 0 (0 runs until stopped), got -1")
    #expect(refusal(SessionSettings(penaltyWeight: -1)) == .negativeNumber(.penaltyWeight, -1))
    #expect(refusal(SessionSettings(n: Int.max))?.setting == .n)
    // Named as the caller's user knows them: here as flags.
    #expect(
      refusal(SessionSettings(penaltyWeight: -1))!.message(naming: { "--" + $0.rawValue })
        == "--penalty_weight: must be a finite number ≥ 0, got -1.0")
  }

  @Test func jsonHasTheDocumentedFields() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 50), stopsWhenDone: true)
    session.start()
    session.waitUntilFinished()
    let data = try JSONEncoder().encode(try #require(session.result))
    let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    for key in ["settings", "A", "xvalid", "probe", "models"] { #expect(obj[key] != nil, "\(key)") }
    let settings = try #require(obj["settings"] as? [String: Any])
    for key in ["n", "seed", "iterations", "batch", "optimizer", "penalty_weight", "init"] {
      #expect(settings[key] != nil, "settings.\(key)")
    }
    let models = try #require(obj["models"] as? [[String: Any]])
    let m = models[0]
    for key in [
      "name", "architecture", "eta", "status", "iterations", "initial", "final", "parameters",
      "steps_per_second",
    ] {
      #expect(m[key] != nil, "models[0].\(key)")
    }
    let final = try #require(m["final"] as? [String: Any])
    for key in ["loss", "apriori_error", "additivity_error", "homogeneity_error"] {
      #expect(final[key] != nil, "final.\(key)")
    }
  }
}
