import Foundation
import SPNumerics
import SPTestSupport
import Testing

/// `sptop run` as scripts use it: exit codes, one-line errors, the table and the JSON.
@Suite struct RunCommandTests {
  static let badFlags: [([String], String)] = [
    (["--models", "vanilla,nope"], "--models: unknown model 'nope'"),
    (["--models", ""], "--models: the list is empty"),
    (["--optimizer", "rmsprop"], "--optimizer: unknown optimiser 'rmsprop'"),
    (["--init", "xavier"], "--init: unknown scheme 'xavier'; known: randn, scaled, he"),
    (["--target", "cubic"], "--target: unknown target 'cubic'; known: general, skew, mass"),
    (["--target", "skew", "--n", "1"], "--target skew: needs --n ≥ 2"),
    (["--width", "0"], "--width: must be a positive integer"),
    (["--width", "-4"], "--width: must be a positive integer"),
    (["--width", "ten"], "--width"),
    (["--width", "5000000"], "--n 5 --width 5000000 with --batch 20: needs about"),
    (
      ["--width", "9223372036854775807"],
      "--n 5 --width 9223372036854775807 with --batch 20: too large"
    ),
    (["--n", "0"], "--n: must be a positive integer"),
    (["--n", "-3"], "--n: must be a positive integer"),
    (["--n", "1000000000"], "--n 1000000000 with --batch 20: too large"),
    (["--n", "200000"], "--n 200000 with --batch 20: needs about"),
    (["--eta", "0"], "--eta: must be a finite number > 0"),
    (["--eta", "-1"], "--eta: must be a finite number > 0"),
    (["--eta", "nan"], "--eta: must be a finite number > 0"),
    (["--eta", "inf"], "--eta: must be a finite number > 0"),
    (["--batch", "0"], "--batch: must be a positive integer"),
    (["--iterations", "-1"], "--iterations: must be ≥ 0"),
    (["--penalty-weight", "-0.5"], "--penalty-weight: must be a finite number ≥ 0"),
    (["--n", "five"], "--n"),
    (["--frobnicate"], "Unknown option '--frobnicate'"),
  ]

  @Test(arguments: badFlags)
  func badFlagGivesOneLineAndNonZeroExit(flags: [String], expected: String) throws {
    let r = try SPTopProcess.run(["run"] + flags)
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1, "stderr: \(r.stderr)")
    #expect(r.stderr.hasPrefix("sptop: "), "stderr: \(r.stderr)")
    #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
  }

  @Test func tablePrintsEveryModel() throws {
    let r = try SPTopProcess.run(["run", "--iterations", "200"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 10)
    #expect(lines[1].contains("a-priori error (initial → final)"))
    #expect(lines[1].contains("hom λ=-10") && lines[1].contains("hom λ=0.5"))
    #expect(lines[2].hasPrefix("vanilla") && lines[3].hasPrefix("penalized"))
    #expect(lines[4].hasPrefix("linear"))
    #expect(lines[5].hasPrefix("structure: EXACT: defect re-evaluated in Float80 ≤ 1e-15"))
    #expect(lines[6].contains("additivity") && lines[6].contains("dead units"))
    #expect(lines[6].hasSuffix("N = f?"))
    #expect(lines[9].hasPrefix("linear") && lines[9].contains("✓ EXACT"))
    // At the default width n the seed's MLP cannot represent A x; B1 x can.
    #expect(lines[7].hasPrefix("vanilla") && lines[7].hasSuffix(" no"))
    #expect(lines[9].hasSuffix(" yes"))
    // Not a terminal: a few plain progress lines, ending with the total.
    #expect(r.stderr.contains("sptop run: 200/200 steps in"))
  }

  /// The structure table after divergence (`--eta 1e40`): vanilla's non-finite values read "—"
  /// and nothing reads ✗ (vanilla guarantees nothing; linear and skew keep their guarantees).
  @Test func divergedRunShowsNoViolation() throws {
    let r = try SPTopProcess.run([
      "run", "--models", "vanilla,linear,skew", "--eta", "1e40", "--iterations", "10",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    let structure = lines.drop { !$0.hasPrefix("structure:") }.dropFirst(2)
    #expect(structure.count == 3)
    #expect(structure.allSatisfy { !$0.contains("✗") }, "\(r.stdout)")
    #expect(structure.first?.hasPrefix("vanilla") == true && structure.first!.contains("—"))
    #expect(structure.dropFirst().allSatisfy { $0.contains("✓ EXACT") })
  }

  @Test func jsonIsRecomputableWithNumpy() throws {
    let r = try SPTopProcess.run(["run", "--iterations", "300", "--json", "--seed", "7"])
    #expect(r.status == 0, "\(r.stderr)")
    let text = try recompute(r.stdout)
    #expect(text.contains("recomputed 3 models"), "\(text)")
  }

  /// Every architecture on every target, recomputed with numpy from the JSON.
  @Test(arguments: ["general", "skew", "mass", "laplacian", "even", "odd-teacher"])
  func everyArchitectureIsRecomputableWithNumpy(target: String) throws {
    // Every architecture of the registry: a new one fails here until recompute.py knows it.
    let names = ArchitectureRegistry.names
    let models = names.joined(separator: ",")
    let r = try SPTopProcess.run([
      "run", "--iterations", "150", "--json", "--models", models, "--target", target,
      "--width", "7", "--optimizer", "adam", "--init", "he",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let text = try recompute(r.stdout)
    #expect(text.contains("recomputed \(names.count) models"), "\(text)")
  }

  func recompute(_ json: String) throws -> String {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("recompute.py")
    let r = Launch.runAndWait(
      ["python3", script.path], stdin: .text(json), mergeStandardError: true)
    let text = r.stdout
    #expect(r.status == 0, "\(text)")
    return text
  }

  @Test func sameSeedSameJSON() throws {
    let a = try SPTopProcess.run(["run", "--iterations", "100", "--json"])
    let b = try SPTopProcess.run(["run", "--iterations", "100", "--json"])
    func strip(_ s: String) throws -> [String: Any] {
      var o = try JSONSerialization.jsonObject(with: Data(s.utf8)) as! [String: Any]
      o["elapsed_seconds"] = nil
      o["models"] = (o["models"] as! [[String: Any]]).map { m in
        var m = m
        m["steps_per_second"] = nil
        return m
      }
      return o
    }
    let x = try strip(a.stdout)
    let y = try strip(b.stdout)
    #expect(NSDictionary(dictionary: x).isEqual(to: y))
  }
}
