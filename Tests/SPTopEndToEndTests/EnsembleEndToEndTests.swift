import Foundation
import SPTestSupport
import Testing

/// `sptop run --seeds` as scripts use it: the table, the JSON (its statistics recomputed with
/// numpy and scipy-free binomial sums), and one-line refusals.
@Suite struct EnsembleEndToEndTests {
  /// Recomputes every aggregate with numpy (quantile's default method, std with ddof = 0) and
  /// every sign test from the seeds' values; prints "ok N" or what differs.
  static let check = #"""
    import json, sys, math
    import numpy as np
    d = json.load(sys.stdin)
    figures = ["apriori_error", "loss", "additivity_error", "homogeneity_error_max"]
    n = 0
    def value(m, f):
        if f in m["final"]:
            return m["final"][f]
        return m["final"]["properties"][f]
    for m in d["models"]:
        assert [e["seed"] for e in m["seeds"]] == d["settings"]["seeds"], "seed order"
        assert m["diverged"] == sum(1 for e in m["seeds"] if e["status"] == "diverged")
        for f in figures:
            # Diverged seeds are left out (counted in "diverged"), as are non-finite values.
            x = np.array([value(e, f) for e in m["seeds"]
                          if value(e, f) is not None and e["status"] != "diverged"], float)
            a = m["aggregate"][f]
            assert a["count"] == len(x), (m["name"], f, "count")
            if len(x) == 0:
                assert set(a) == {"count"}, (m["name"], f, a)
                continue
            want = dict(zip(["q1", "median", "q3"], np.quantile(x, [0.25, 0.5, 0.75])))
            with np.errstate(all="ignore"):
                want.update(min=x.min(), max=x.max(), mean=x.mean(), std=x.std())
            for k, v in want.items():
                if not math.isfinite(v):
                    assert k not in a, (m["name"], f, k, "absent when it overflows")
                    continue
                assert math.isclose(a[k], v, rel_tol=1e-12, abs_tol=1e-300), (m["name"], f, k, a[k], v)
                n += 1
    base = [m for m in d["models"] if m["architecture"] == "vanilla"][0]
    for e in d["evidence"]:
        m = [m for m in d["models"] if m["name"] == e["model"]][0]
        pairs = [(value(a, e["property"]), value(b, e["property"])) for a, b in zip(m["seeds"], base["seeds"])]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None and x != y]
        k = sum(1 for x, y in pairs if x < y)
        assert (e["lower_in"], e["of"]) == (k, len(pairs)), (e, k, len(pairs))
        t = min(k, len(pairs) - k)
        p = min(1.0, 2 * sum(math.comb(len(pairs), i) for i in range(t + 1)) / 2 ** len(pairs)) if pairs else 1.0
        assert math.isclose(e["p_value"], p, rel_tol=1e-12), (e, p)
        n += 1
    print("ok", n)
    """#

  @Test func jsonAggregatesAndEvidenceAreRecomputedByNumpy() throws {
    let r = try SPTopProcess.run(
      ["run", "--seeds", "1-6,11", "--iterations", "300", "--threads", "2", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let check = Launch.runAndWait(
      ["python3", "-c", Self.check], stdin: .text(r.stdout), mergeStandardError: true)
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdout.hasPrefix("ok "), "\(check.stdout)")
    // The seed 5 entry is `sptop run --seed 5`'s model, bit for bit.
    let alone = try SPTopProcess.run(["run", "--seed", "5", "--iterations", "300", "--json"])
    let e = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let s = try #require(
      try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
    let models = try #require(e["models"] as? [[String: Any]])
    let singles = try #require(s["models"] as? [[String: Any]])
    for (m, single) in zip(models, singles) {
      let entry = try #require((m["seeds"] as? [[String: Any]])?.first { $0["seed"] as? Int == 5 })
      for key in ["final", "parameters", "initial", "status", "iterations"] {
        #expect(
          NSDictionary(dictionary: [key: entry[key] as Any]).isEqual(to: [key: single[key] as Any]),
          "\(m["name"] ?? "?"): \(key)")
      }
    }
  }

  /// Seeds that diverge are counted and left out of every statistic (their last finite
  /// figures, up to 1e300, used to fill the bands), and a mean or std that overflows is absent.
  @Test func divergedSeedsAreLeftOutOfTheAggregates() throws {
    let r = try SPTopProcess.run(
      [
        "run", "--seeds", "1-8", "--iterations", "1000", "--models", "vanilla,penalized", "--eta",
        "0.03", "--width", "20", "--json",
      ])
    #expect(r.status == 0, "\(r.stderr)")
    let check = Launch.runAndWait(
      ["python3", "-c", Self.check], stdin: .text(r.stdout), mergeStandardError: true)
    #expect(check.stdout.hasPrefix("ok "), "\(check.stdout)")
    #expect(r.stdout.contains("\"diverged\":4"), "4 penalized seeds diverge here (1 vanilla)")
  }

  /// Ctrl-C stops every thread between chunks: status 130, one line, no partial result.
  @Test func sigintStopsAnEnsembleWithOneLine() async throws {
    let r = await ChildProcess.sptop(
      ["run", "--seeds", "1-64", "--iterations", "100000000", "--json"], interrupt: 2)
    #expect(r.interrupted && !r.killed, "it stopped on SIGINT, within the grace")
    #expect(r.status == 130)
    #expect(r.stdout.isEmpty)
    #expect(
      r.stderrLines.last == "sptop run: stopped by signal 2; no result for an unfinished ensemble",
      "\(r.stderr)")
  }

  @Test func theTableShowsMediansQuartilesDivergenceAndEvidence() throws {
    let r = try SPTopProcess.run(["run", "--seeds", "1-8", "--iterations", "400"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.contains("seeds=1-8 (8)") == true)
    #expect(lines[1].contains("diverged") && lines[1].contains("a-priori error"))
    let vanilla = try #require(lines.first { $0.hasPrefix("vanilla") })
    #expect(vanilla.contains("0/8"))
    // "3.0e-01 [2.4e-01 4.1e-01]": a median and its quartiles, four times.
    let band = try Regex(#"\d\.\de[-+]\d\d \[\d\.\de[-+]\d\d \d\.\de[-+]\d\d\]"#)
    #expect(vanilla.matches(of: band).count == 4, "\(vanilla)")
    #expect(lines.contains("  linear < vanilla on additivity in 8/8 seeds, p = 0.0078"))
    #expect(r.stderr.contains("8 seeds × 400 steps in"))
  }

  @Test func badEnsemblesGetOneLine() throws {
    let cases: [([String], String)] = [
      (["--seeds", ""], "--seeds: the list is empty"),
      (["--seeds", "9-3"], "--seeds: the range '9-3' runs backwards"),
      (["--seeds", "1,1"], "--seeds: seed 1 is named twice"),
      (["--seeds", "one"], "--seeds: 'one' is not a seed"),
      (["--seeds", "1-200000"], "more than 100000 seeds"),
      (["--seeds", "1-3", "--seed", "4"], "--seed and --seeds: give one"),
      (["--seeds", "1-3", "--threads", "0"], "--threads: must be 1…1024"),
      (["--threads", "2"], "--threads: only with --seeds"),
      (["--seeds", "1-3", "--iterations", "0"], "--iterations 0 trains until stopped"),
    ]
    for (flags, expected) in cases {
      let r = try SPTopProcess.run(["run"] + flags)
      #expect(r.status != 0, "\(flags)")
      #expect(r.stderr.contains(expected), "\(flags): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(flags): \(r.stderr)")
      #expect(r.stdout.isEmpty)
    }
  }

  /// `run --seeds --record`: the same numbers as without, a log every seed of which verifies,
  /// `replay --summary` prints the ensemble's table, `export --csv` every seed and the medians
  /// (recomputed with numpy); what reads one session only says so in one line.
  @Test func aRecordedEnsembleVerifiesSummarisesAndExports() throws {
    let folder = try TemporaryFolder("e2e-ensemble")
    defer { withExtendedLifetime(folder) {} }
    let log = folder.file("ensemble.jsonl")
    let recorded = try SPTopProcess.run(
      ["run", "--seeds", "2-4", "--iterations", "400", "--record", log, "--json"])
    #expect(recorded.status == 0, "\(recorded.stderr)")
    let plain = try SPTopProcess.run(["run", "--seeds", "2-4", "--iterations", "400", "--json"])
    let check = #"""
      import json, sys
      a, b = (json.loads(t) for t in sys.stdin.read().split("\n\u0000\n"))
      for m, n in zip(a["models"], b["models"]):
          for s, t in zip(m["seeds"], n["seeds"]):
              assert s["parameters"] == t["parameters"] and s["final"] == t["final"], m["name"]
      print("same")
      """#
    let same = Launch.runAndWait(
      ["python3", "-c", check], stdin: .text(recorded.stdout + "\n\u{0}\n" + plain.stdout),
      mergeStandardError: true)
    #expect(same.stdout.hasPrefix("same"), "\(same.stdout)")
    let v = try SPTopProcess.run(["verify", log])
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains(": 3 seeds: ") && v.stdout.contains("bit for bit identical"))
    // One loss of seed 3 changed in its last digit: that seed and line are named, status 1.
    var lines = try String(contentsOfFile: log, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let k = try #require(
      lines.indices.first { lines[$0].contains("\"type\":\"metric\",\"seed\":3,") && $0 > 100 })
    let loss = try #require(lines[k].range(of: #""loss":[-0-9.e]+"#, options: .regularExpression))
    var digits = String(lines[k][loss])
    let last = digits.removeLast()
    lines[k].replaceSubrange(loss, with: digits + (last == "1" ? "2" : "1"))
    let tampered = folder.file("tampered.jsonl")
    try lines.joined(separator: "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
    let bad = try SPTopProcess.run(["verify", tampered])
    #expect(bad.status == 1, "\(bad.stderr)")
    #expect(
      bad.stderr.contains("seed 3: first difference at line \(k + 1) (metric record")
        && bad.stderr.contains("field loss"), "\(bad.stderr)")
    #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stdout.isEmpty)
    let summary = try SPTopProcess.run(["replay", "--summary", log])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stdout.contains("seeds=2-4 (3)") && summary.stdout.contains("linear < vanilla"))
    let csv = folder.file("ensemble.csv")
    let export = try SPTopProcess.run(["export", log, "--csv", csv])
    #expect(export.status == 0, "\(export.stderr)")
    let medians = #"""
      import csv, sys
      import numpy as np
      rows = list(csv.DictReader(open(sys.argv[1])))
      seeds = [r for r in rows if r["seed"].isdigit()]
      assert {r["seed"] for r in seeds} == {"2", "3", "4"}
      n = 0
      for r in rows:
          if r["seed"] != "median":
              continue
          same = [s for s in seeds if s["index"] == r["index"] and s["step"] == r["step"]]
          for c in ["loss", "apriori_error", "additivity_error", "homogeneity_error_max"]:
              x = [float(s[c]) for s in same if s[c] != ""]
              if x:
                  assert abs(float(r[c]) - np.median(x)) <= 1e-12 * abs(np.median(x)), (r, c)
                  n += 1
      print("ok", n)
      """#
    let m = Launch.runAndWait(["python3", "-c", medians, csv], mergeStandardError: true)
    #expect(m.status == 0 && m.stdout.hasPrefix("ok "), "\(m.stdout)")
    // The figures: each model's median over its quartile and min–max bands.
    let figures = try SPTopProcess.run(["export", log, "--svg", folder.file("fig")])
    #expect(figures.status == 0, "\(figures.stderr)")
    for name in ["apriori-error.svg", "homogeneity.svg"] {
      let svg = try String(contentsOfFile: folder.file("fig/\(name)"), encoding: .utf8)
      #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 6, "\(name)")
      #expect(svg.contains("median of 3") && svg.contains("bands: quartiles"), "\(name)")
    }
  }

  /// `run --fork` of an ensemble's log forks every seed: the JSON of `run --seeds` (recomputed
  /// by numpy), each seed's entry the fork of that seed's own run, bit for bit; `verify` goes
  /// through every seed of the parent; what a fork of an ensemble cannot take gets one line.
  @Test func aForkOfAnEnsembleForksEverySeedAndVerifiesThroughItsParent() throws {
    let folder = try TemporaryFolder("e2e-ensemble-fork")
    defer { withExtendedLifetime(folder) {} }
    let parent = folder.file("parent.jsonl")
    let p = try SPTopProcess.run(
      ["run", "--seeds", "2-4", "--iterations", "400", "--record", parent])
    #expect(p.status == 0, "\(p.stderr)")
    let before = try Data(contentsOf: URL(fileURLWithPath: parent))
    let fork = folder.file("fork.jsonl")
    let r = try SPTopProcess.run(
      [
        "run", "--fork", parent, "--at", "200", "--eta", "0.0005", "--threads", "2", "--record",
        fork, "--json",
      ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("3 seeds × 400 steps in"), "\(r.stderr)")
    let check = Launch.runAndWait(
      ["python3", "-c", Self.check], stdin: .text(r.stdout), mergeStandardError: true)
    #expect(check.status == 0 && check.stdout.hasPrefix("ok "), "\(check.stdout)")
    // Seed 3's entry is the same fork of `run --seed 3`'s own log, bit for bit.
    let single = folder.file("seed3.jsonl")
    #expect(
      try SPTopProcess.run(["run", "--seed", "3", "--iterations", "400", "--record", single])
        .status == 0)
    let alone = try SPTopProcess.run(
      ["run", "--fork", single, "--at", "200", "--eta", "0.0005", "--json"])
    let e = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let s = try #require(
      try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
    #expect((e["settings"] as? [String: Any])?["seeds"] as? [Int] == [2, 3, 4])
    let models = try #require(e["models"] as? [[String: Any]])
    let singles = try #require(s["models"] as? [[String: Any]])
    #expect(models.count == singles.count && !models.isEmpty)
    for (m, one) in zip(models, singles) {
      let entry = try #require((m["seeds"] as? [[String: Any]])?.first { $0["seed"] as? Int == 3 })
      for key in ["final", "parameters", "status", "iterations"] {
        #expect(
          NSDictionary(dictionary: [key: entry[key] as Any]).isEqual(to: [key: one[key] as Any]),
          "\(m["name"] ?? "?"): \(key)")
      }
    }
    // One thread or two: the same bits.
    let oneThread = try SPTopProcess.run(
      ["run", "--fork", parent, "--at", "200", "--eta", "0.0005", "--threads", "1", "--json"])
    let twoThreads = try ForkEndToEndTests.seedParameters(r.stdout)
    #expect(twoThreads.count == 3 && twoThreads.allSatisfy { $0.count == 3 })
    #expect(try ForkEndToEndTests.seedParameters(oneThread.stdout) == twoThreads)
    let v = try SPTopProcess.run(["verify", fork])
    #expect(v.status == 0, "\(v.stderr)")
    #expect(v.stdout.contains(": 3 seeds: ") && v.stdout.contains("bit for bit identical"))
    #expect(
      v.stdout.contains(
        "the parent \(parent) (3 seeds, SHA-256 unchanged) re-runs to the fork's step 200"),
      "\(v.stdout)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: parent)) == before)
    for (arguments, expected) in [
      (
        ["run", "--fork", parent, "--at", "100", "--seeds", "2-3"],
        "a fork keeps the parent's seeds"
      ),
      (["run", "--fork", single, "--at", "100", "--threads", "2"], "--threads: only with --seeds"),
    ] {
      let bad = try SPTopProcess.run(arguments)
      #expect(bad.status != 0 && bad.stderr.contains(expected), "\(arguments): \(bad.stderr)")
      #expect(bad.stderr.split(separator: "\n").count == 1)
    }
    // The parent changed: verify says so in one line.
    try (before + Data("\n".utf8)).write(to: URL(fileURLWithPath: parent))
    let changed = try SPTopProcess.run(["verify", fork])
    #expect(changed.status != 0 && changed.stderr.contains("changed since the fork"))
    #expect(changed.stderr.split(separator: "\n").count == 1)
  }
}
