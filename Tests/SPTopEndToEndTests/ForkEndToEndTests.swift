import Foundation
import SPTestSupport
import Testing

/// `sptop run --fork LOG --at STEP` as scripts use it: the fork continues the parent, flags
/// given change it from the step, `verify` goes through the parent, and bad forks get one line.
@Suite struct ForkEndToEndTests {
  /// A recorded parent of 400 steps in `folder`.
  static func parent(_ folder: TemporaryFolder) throws -> String {
    let path = folder.file("parent.jsonl")
    let r = try SPTopProcess.run(["run", "--iterations", "400", "--record", path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    return path
  }

  /// Each model's final parameters as JSON text (keys sorted), in lineup order.
  static func finalParameters(_ json: String) throws -> [String] {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let models = try #require(object["models"] as? [[String: Any]])
    return try models.map { m in
      let data = try JSONSerialization.data(
        withJSONObject: try #require(m["parameters"]), options: [.sortedKeys])
      return String(decoding: data, as: UTF8.self)
    }
  }

  /// Every seed's parameters of each model of `run --seeds --json` (or of an ensemble's fork),
  /// as JSON text (keys sorted), model by model.
  static func seedParameters(_ json: String) throws -> [[String]] {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let models = try #require(object["models"] as? [[String: Any]])
    return try models.map { m in
      try (m["seeds"] as? [[String: Any]] ?? []).map { e in
        let data = try JSONSerialization.data(
          withJSONObject: try #require(e["parameters"]), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
      }
    }
  }

  @Test func aForkContinuesItsParentAndVerifiesThroughIt() throws {
    let folder = try TemporaryFolder("fork-e2e")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(folder)
    let whole = try SPTopProcess.run(["run", "--iterations", "400", "--json"])
    let fork = folder.file("fork.jsonl")
    let r = try SPTopProcess.run(
      ["run", "--fork", parent, "--at", "200", "--record", fork, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try Self.finalParameters(r.stdout) == Self.finalParameters(whole.stdout))
    let v = try SPTopProcess.run(["verify", fork])
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains("bit for bit identical"))
    #expect(
      v.stdout.contains("the parent \(parent) (SHA-256 unchanged) re-runs to the fork's step 200"))

    // Halving η at step 200: other numbers, still verifiable; the parent untouched.
    let before = try Data(contentsOf: URL(fileURLWithPath: parent))
    let halved = folder.file("halved.jsonl")
    let h = try SPTopProcess.run(
      ["run", "--fork", parent, "--at", "200", "--eta", "0.0005", "--record", halved, "--json"])
    #expect(h.status == 0, "\(h.stderr)")
    #expect(try Self.finalParameters(h.stdout) != Self.finalParameters(whole.stdout))
    #expect(try SPTopProcess.run(["verify", halved]).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: parent)) == before)
    // The table's header: the session's settings and, where the fork changed them, what the
    // models ended with; `replay --summary` of the fork's log says the same.
    let table = try SPTopProcess.run(
      ["run", "--fork", parent, "--at", "200", "--eta", "0.0005", "--optimizer", "adam"])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(
      table.stdout.hasPrefix(
        "sptop run: n=5 seed=1 batch=20 optimizer=sgd (adam at the end) "
          + "eta=0.001 (0.0005 at the end) init=randn"), "\(table.stdout)")
    let summary = try SPTopProcess.run(["replay", "--summary", halved])
    #expect(summary.stdout.contains("optimizer=sgd eta=0.001 (0.0005 at the end) init="))
    let plain = try SPTopProcess.run(["run", "--iterations", "10"])
    #expect(plain.stdout.contains("optimizer=sgd eta=0.001 init="), "\(plain.stdout)")

    // The parent changed: verify says so in one line.
    try (before + Data("\n".utf8)).write(to: URL(fileURLWithPath: parent))
    let changed = try SPTopProcess.run(["verify", halved])
    #expect(changed.status != 0)
    #expect(changed.stderr.contains("changed since the fork"), "\(changed.stderr)")
    #expect(changed.stderr.split(separator: "\n").count == 1)
  }

  @Test func badForksGetOneLine() throws {
    let folder = try TemporaryFolder("fork-e2e")
    defer { withExtendedLifetime(folder) {} }
    let parent = try Self.parent(folder)
    let cases: [([String], String)] = [
      (["--fork", parent], "--fork: needs --at STEP"),
      (["--at", "10"], "--at: only with --fork LOG"),
      (["--fork", parent, "--at", "401"], "records steps 0 to 400; step 401 is not among them"),
      (["--fork", parent, "--at", "300", "--iterations", "300"], "--iterations: counts steps"),
      (["--fork", parent, "--at", "100", "--seed", "2"], "--seed: a fork keeps the parent's"),
      (["--fork", parent, "--at", "100", "--models", "linear"], "--models: a fork keeps the"),
      (["--fork", parent, "--at", "100", "--n", "0"], "--n: must be a positive integer"),
      (["--fork", parent, "--at", "100", "--target", "skew", "--n", "1"], "--target skew: needs"),
      (["--fork", parent, "--at", "100", "--batch", "0"], "--batch: must be a positive integer"),
      (["--fork", folder.file("none.jsonl"), "--at", "1"], "none.jsonl"),
      (["--fork", parent, "--at", "100", "--record", parent], "is the parent log"),
    ]
    for (flags, expected) in cases {
      let r = try SPTopProcess.run(["run"] + flags)
      #expect(r.status != 0, "\(flags)")
      #expect(r.stderr.contains(expected), "\(flags): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(flags): \(r.stderr)")
    }
  }
}
