import Foundation
import Testing

@testable import SPEngine
@testable import SPNumerics

/// Targets, widths and the structure diagnostics through a whole session and its result.
@Suite struct CatalogueSessionTests {
  func message(_ s: SessionSettings) -> String? {
    do {
      try s.validate()
      return nil
    } catch {
      return error.message(naming: { "--" + $0.rawValue })
    }
  }

  @Test func targetAndWidthErrorsNameTheSetting() {
    #expect(message(SessionSettings(width: 0))!.hasPrefix("--width: must be a positive integer"))
    #expect(message(SessionSettings(width: -3))!.hasPrefix("--width: must be a positive integer"))
    #expect(message(SessionSettings(width: 4_000_000))!.hasPrefix("--n 5 --width 4000000 with"))
    #expect(message(SessionSettings(width: Int.max))!.hasPrefix("--n 5 --width"))
    #expect(
      message(SessionSettings(n: 1, target: .skew))!.hasPrefix("--target skew: needs --n ≥ 2"))
    #expect(message(SessionSettings(n: 1, target: .laplacian))!.hasPrefix("--target laplacian"))
    #expect(
      "\(SettingsError.targetNeedsLargerN(.skew, n: 1))"
        == "target skew: needs n ≥ 2 (at n = 1 the target is identically zero)")
    #expect(message(SessionSettings(n: 1, target: .even)) == nil)
    #expect(message(SessionSettings(models: ArchitectureRegistry.names, width: 12)) == nil)
  }

  @Test func estimateGrowsWithWidth() throws {
    let a = try #require(SessionSettings(n: 10).estimatedBytes())
    let b = try #require(SessionSettings(n: 10, width: 100).estimatedBytes())
    let c = try #require(SessionSettings(n: 10, width: 1000).estimatedBytes())
    // The workspaces grow like the width, the MLPs' parameters like its square.
    #expect(b > 4 * a)
    #expect(c > 15 * b)
  }

  @Test func settingsWithoutTargetOrWidthDecodeAsTheSeed() throws {
    let old = """
      {"models":["vanilla"],"n":5,"seed":1,"eta":0.001,"batch":20,"iterations":10,
       "optimizer":"sgd","penalty_weight":1,"init":"randn"}
      """
    let s = try JSONDecoder().decode(SessionSettings.self, from: Data(old.utf8))
    #expect(s.target == .general && s.width == nil && s.hiddenWidth == 5)
    let new = SessionSettings(target: .oddTeacher, width: 9)
    let round = try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(new))
    #expect(round == new)
  }

  @Test func everyArchitectureOnTheOddTeacherReportsItsDiagnostics() throws {
    let settings = SessionSettings(
      models: ArchitectureRegistry.names, n: 4, iterations: 200, optimizer: .adam,
      initScheme: .he, target: .oddTeacher, width: 8)
    let session = try TrainingSession(settings: settings, stopsWhenDone: true)
    session.start()
    #expect(session.waitUntilFinished(timeout: 60))
    let r = try #require(session.result)
    #expect(r.settings.target == "odd-teacher" && r.settings.width == 8)
    #expect(r.teacher?["B1"]?.count == 4)
    #expect(r.fvalid.count == 4)
    let snapshot = try #require(session.snapshot)
    for (m, s) in zip(r.models, snapshot.models) {
      let d = try #require(s.diagnostics)
      #expect(
        s.guarantees == ArchitectureRegistry.make(m.architecture, config: .init(n: 4))!.guarantees)
      for p in s.guarantees {
        #expect(d.value(of: p) < 1e-12, "\(m.name) \(p)")
        #expect(m.guarantees.contains(p.rawValue))
        #expect(m.final.properties[p.rawValue]!! < 1e-12)
      }
      #expect(m.final.relu_units == d.reluUnits)
      #expect(
        (m.final.dead_units == nil) == (m.architecture == "linear" || m.architecture == "skew"))
    }
    let odd = try #require(r.models.first { $0.architecture == "odd" })
    #expect(odd.final.exact["oddness"] == true)
    #expect(odd.parameter_order == ["B1", "B2", "B3"])
  }

  @Test func jsonWritesEveryNewFieldWithNullForMissingValues() throws {
    let session = try TrainingSession(
      settings: SessionSettings(models: ["linear", "vanilla"], iterations: 20), stopsWhenDone: true)
    session.start()
    session.waitUntilFinished()
    let data = try JSONEncoder().encode(try #require(session.result))
    let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let settings = try #require(obj["settings"] as? [String: Any])
    #expect(settings["target"] as? String == "general" && settings["width"] as? Int == 5)
    #expect(obj["teacher"] == nil && obj["fvalid"] != nil)
    let models = try #require(obj["models"] as? [[String: Any]])
    let final = try #require(models[0]["final"] as? [String: Any])
    for key in [
      "positive_homogeneity_error_max", "offset", "oddness_error", "energy_cosine", "mass_error",
      "dead_units", "relu_units", "properties", "exact",
    ] {
      #expect(final[key] != nil, "final.\(key)")
    }
    #expect(final["dead_units"] is NSNull)
    #expect((models[0]["guarantees"] as? [String])?.contains("additivity") == true)
    // linear represents A x; the seed's MLP at width n = 5 does not (it needs 2n).
    #expect(models[0]["represents_target"] as? Bool == true)
    #expect(models[1]["represents_target"] as? Bool == false)
    #expect((models[1]["final"] as? [String: Any])?["dead_units"] as? Int != nil)
  }
}
