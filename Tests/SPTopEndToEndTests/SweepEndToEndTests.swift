import Foundation
import SPTestSupport
import Testing

/// `sptop sweep`: a grid of ensembles into a folder — the summary equal to each configuration's
/// `run --seeds` aggregate and independent of --jobs, resumable after SIGKILL byte for byte,
/// shards merged by `collect`, and bad input refused in one line.
@Suite(.timeLimit(.minutes(10))) struct SweepEndToEndTests {
  /// 2 × 2 configurations of two models over 4 seeds.
  static let spec = """
    # a small sweep
    [base]
    iterations = 1500
    models = ["vanilla", "linear"]
    seeds = "1-4"

    [grid]
    eta = [0.001, 0.01]
    width = [3, 5]
    """

  static func write(_ text: String, _ path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  static func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  static func logs(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/logs")) ?? []).sorted()
  }

  @Test func aSweepWritesLogsSummaryAndFiguresTheSameForAnyJobs() async throws {
    let folder = try TemporaryFolder("sweep")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec, spec)
    let one = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("one"), "--jobs", "1"], interrupt: 300)
    try #require(one.status == 0, "\(one.stderr)")
    let two = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("two"), "--jobs", "2"], interrupt: 300)
    try #require(two.status == 0, "\(two.stderr)")
    let csv = Self.read(folder.file("one/summary.csv"))
    #expect(!csv.isEmpty)
    #expect(csv == Self.read(folder.file("two/summary.csv")), "summary.csv: the same bytes")
    #expect(
      Self.read(folder.file("one/summary.json")) == Self.read(folder.file("two/summary.json")))
    #expect(
      Self.logs(folder.file("one"))
        == ["config-0001.jsonl", "config-0002.jsonl", "config-0003.jsonl", "config-0004.jsonl"])
    let figures = try FileManager.default.contentsOfDirectory(atPath: folder.file("one/figures"))
    // Per figure and axis: pooled over the other axis, and at each of its 2 values.
    #expect(figures.count == 4 * 2 * 3, "\(figures)")
    #expect(figures.contains("apriori_error-vs-eta.svg"))
    #expect(figures.contains("apriori_error-vs-eta-at-width=3.svg"))
    let slice = Self.read(folder.file("one/figures/loss-vs-width-at-eta=0.01.svg"))
    #expect(
      slice.contains("Training loss against width, eta = 0.01</text>"), "\(slice.prefix(900))")
    // stdout: the table, with the best configuration of each model.
    #expect(one.stdout.contains("lowest median a-priori error:"))
    #expect(one.stdout.contains("linear: config 3 (eta=0.01 width=3)"), "\(one.stdout)")
    // Not a terminal: one line per configuration on stderr, no progress bar.
    #expect(one.stderr.components(separatedBy: "\n").filter { $0.contains(" config ") }.count == 4)
    #expect(!one.stderr.contains("\r"))
    // Each row: the seeds' figures of `run --seeds` for that configuration, whose aggregate
    // is SeedStatistics (tested against numpy).
    let rows = csv.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    let head = rows[0].map(String.init)
    #expect(head.prefix(7) == ["config", "log", "eta", "width", "model", "seed_count", "diverged"])
    let run = await ChildProcess.sptop(
      [
        "run", "--seeds", "1-4", "--iterations", "1500", "--models", "vanilla,linear", "--eta",
        "0.01", "--width", "5", "--json",
      ], interrupt: 120)
    try #require(run.status == 0, "\(run.stderr)")
    // JSONDecoder reads numbers exactly (JSONSerialization rounds some in the last digit).
    struct Output: Decodable {
      struct Model: Decodable { var aggregate: [String: [String: Double?]] }
      var models: [Model]
    }
    let output = try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
    for (name, model) in zip(["vanilla", "linear"], output.models) {
      let row = try #require(rows.first { $0[0] == "4" && $0[4] == Substring(name) })
      for figure in ["apriori_error", "loss", "additivity_error", "homogeneity_error_max"] {
        for stat in ["median", "q1", "q3", "min", "max"] {
          let column = try #require(head.firstIndex(of: "\(figure)_\(stat)"))
          let expected = model.aggregate[figure]?[stat] ?? nil
          #expect(expected != nil && Double(row[column]) == expected, "\(name) \(figure) \(stat)")
        }
      }
    }
    // Every log verifies bit for bit.
    let verify = await ChildProcess.sptop(
      ["verify", folder.file("one/logs/config-0002.jsonl")], interrupt: 120)
    #expect(verify.status == 0 && verify.stdout.contains("bit for bit identical"), "\(verify)")
    // Run again: everything is kept, the summary the same.
    let again = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("one")], interrupt: 120)
    #expect(again.status == 0)
    #expect(again.stderr.contains("4 of 4 configurations already finished"), "\(again.stderr)")
    #expect(Self.read(folder.file("one/summary.csv")) == csv)
  }

  @Test func aSweepKilledAtAnyMomentResumesToTheSameSummary() async throws {
    let folder = try TemporaryFolder("sweep-kill")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec.replacingOccurrences(of: "1500", with: "4000"), spec)
    let whole = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("whole"), "--jobs", "1"], interrupt: 300)
    try #require(whole.status == 0, "\(whole.stderr)")
    // SIGKILL once the first configuration is finished and the second has begun.
    let out = folder.file("killed")
    let process = Process()
    process.executableURL = SPTopProcess.binary
    process.arguments = ["sweep", spec, "--out", out, "--jobs", "1"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      let names = Self.logs(out)
      if names.contains("config-0001.jsonl") && names.contains("config-0002.jsonl.partial") {
        break
      }
      usleep(20_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let left = Self.logs(out)
    #expect(left.contains("config-0001.jsonl"), "\(left)")
    #expect(left.contains("config-0002.jsonl.partial"), "\(left)")
    #expect(!FileManager.default.fileExists(atPath: out + "/summary.csv"))
    let resumed = await ChildProcess.sptop(["sweep", spec, "--out", out], interrupt: 300)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("1 of 4 configurations already finished"), "\(resumed.stderr)")
    #expect(Self.read(out + "/summary.csv") == Self.read(folder.file("whole/summary.csv")))
    #expect(Self.read(out + "/summary.json") == Self.read(folder.file("whole/summary.json")))
    // A kept log whose numbers were changed: kept by the quick check, found by --verify and
    // run again, the summary still the uninterrupted run's.
    let log = out + "/logs/config-0003.jsonl"
    var lines = Self.read(log).components(separatedBy: "\n")
    let k = try #require(lines.indices.first { lines[$0].contains("\"step\":\(7 * 20)") })
    let loss = try #require(lines[k].range(of: "\"loss\":"))
    var line = lines[k]
    let digit = line[loss.upperBound...].first { $0.isNumber && $0 != "0" }!
    let at = line[loss.upperBound...].firstIndex(of: digit)!
    line.replaceSubrange(at...at, with: String(digit == "9" ? "8" : "9"))
    lines[k] = line
    try lines.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
    let quick = await ChildProcess.sptop(["sweep", spec, "--out", out], interrupt: 300)
    #expect(quick.stderr.contains("4 of 4 configurations already finished"), "\(quick.stderr)")
    let verified = await ChildProcess.sptop(
      ["sweep", spec, "--out", out, "--verify"], interrupt: 300)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(
      verified.stderr.contains("warning: config 3: seed ")
        && verified.stderr.contains("(--verify); running it again"), "\(verified.stderr)")
    #expect(
      verified.stderr.contains(
        "3 of 4 configurations already finished in \(out) (verified bit for bit)"))
    #expect(Self.read(out + "/summary.csv") == Self.read(folder.file("whole/summary.csv")))
    let clean = await ChildProcess.sptop(["verify", log], interrupt: 120)
    #expect(clean.status == 0, "the log written again verifies: \(clean.stderr)")
    // Another spec into this folder is refused; with --force it is used.
    let other = folder.file("other.toml")
    try Self.write(Self.spec.replacingOccurrences(of: "[3, 5]", with: "[2, 4]"), other)
    let refused = await ChildProcess.sptop(["sweep", other, "--out", out], interrupt: 60)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("made by another sweep spec"), "\(refused.stderr)")
    #expect(refused.stderr.split(separator: "\n").count == 1)
    // --dry-run prints the plan and writes nothing.
    let plan = await ChildProcess.sptop(
      ["sweep", other, "--out", folder.file("planned"), "--dry-run"], interrupt: 60)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains(": 4 configurations\n  eta: 0.001, 0.01 (2)\n  width: 2, 4 (2)\n"))
    #expect(plan.stdout.contains("model-steps: 48,000\n"), "4 × 1500 steps × 2 models × 4 seeds")
    #expect(plan.stdout.contains("estimated time: ") && plan.stdout.contains("memory: "))
    #expect(!FileManager.default.fileExists(atPath: folder.file("planned")))
    // With --force the other spec takes the folder; the configurations both share are kept
    // (none here: every width differs), the rest run.
    let forced = await ChildProcess.sptop(
      ["sweep", other, "--out", out, "--force"], interrupt: 300)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(Self.read(out + "/summary.csv").contains(",0.01,4,vanilla,"))
  }

  @Test func shardsRunApartAndCollectMergesThemOrNamesWhatIsMissing() async throws {
    let folder = try TemporaryFolder("sweep-shards")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec, spec)
    let local = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("local")], interrupt: 300)
    try #require(local.status == 0, "\(local.stderr)")
    let dir = folder.file("sharded")
    let first = await ChildProcess.sptop(
      ["sweep", spec, "--out", dir, "--shard", "1/3"], interrupt: 300)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(Self.logs(dir) == ["config-0001.jsonl", "config-0004.jsonl"], "shard 1/3 = 1 and 4")
    let missing = await ChildProcess.sptop(["sweep", "collect", dir], interrupt: 60)
    #expect(missing.status == 1)
    #expect(
      missing.stderr.contains("config 2 (eta=0.001 width=5), shard 2/3: not run"),
      "\(missing.stderr)")
    #expect(missing.stderr.contains("config 3 (eta=0.01 width=3), shard 3/3: not run"))
    #expect(missing.stderr.contains("--shard 2/3") && missing.stderr.contains("--shard 3/3"))
    #expect(missing.stderr.contains("2 of 4 configurations are not finished"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/summary.csv"))
    for s in ["2/3", "3/3"] {
      let r = await ChildProcess.sptop(["sweep", spec, "--out", dir, "--shard", s], interrupt: 300)
      #expect(r.status == 0, "\(r.stderr)")
    }
    // A corrupt log is named.
    let log = dir + "/logs/config-0003.jsonl"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: log))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: log))
    let corrupt = await ChildProcess.sptop(["sweep", "collect", dir], interrupt: 60)
    #expect(corrupt.status == 1)
    #expect(
      corrupt.stderr.contains("config 3 (eta=0.01 width=3), shard 3/3: "), "\(corrupt.stderr)")
    #expect(corrupt.stderr.contains("incomplete"), "\(corrupt.stderr)")
    let rerun = await ChildProcess.sptop(
      ["sweep", spec, "--out", dir, "--shard", "3/3"], interrupt: 300)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    let merged = await ChildProcess.sptop(["sweep", "collect", dir], interrupt: 60)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(Self.read(dir + "/summary.csv") == Self.read(folder.file("local/summary.csv")))
    #expect(merged.stdout == local.stdout, "the same table")
  }

  @Test func badSpecsAndFlagsAreRefusedInOneLine() async throws {
    let folder = try TemporaryFolder("sweep-bad")
    defer { withExtendedLifetime(folder) {} }
    let cases: [(spec: String, args: [String], message: String)] = [
      ("[base]\niterations = 10\n", [], "[grid] is empty"),
      ("[base]\niterations = 10\n[grid]\n", [], "[grid] is empty"),
      (
        "[grid]\netta = [1, 2]\n", [],
        "spec.toml:2:1: [grid] etta: not a flag a sweep takes (did you mean 'eta'?)"
      ),
      ("[grid]\neta = 0.1\n", [], "spec.toml:2:1: [grid] eta: must be an array of values"),
      ("[grid]\neta = []\n", [], "spec.toml:2:1: [grid] eta: an empty list"),
      (
        "[base]\neta = true\n[grid]\nn = [2, 3]\n", [],
        "spec.toml:2:1: eta: must be a string or a number, not a boolean"
      ),
      (
        "[base]\neta = 0.1\n[grid]\n  eta = [1, 2]\n", [],
        "spec.toml:4:3: [grid] eta: also set in [base]"
      ),
      (
        "[grid]\nwidth = [3, 0]\n", [],
        "spec.toml:2:1: [grid] width, configuration 2 (width=0): --width"
      ),
      (
        "[base]\nmodels = \"vanila\"\n[grid]\nn = [2, 3]\n", [],
        "spec.toml:2:1: [base] models: --models"
      ),
      ("[bsae]\nn = 3\n", [], "spec.toml:1:2: unknown table or key 'bsae' (did you mean 'base'?)"),
      ("[grid]\nn = [2, 3\n", [], "spec.toml:"),
      (
        "[grid]\nn = [1,2,3,4,5,6,7,8,9,10,11]\nwidth = [1,2,3,4,5,6,7,8,9,10]\nbatch = [1,2,3,4,5,6,7,8,9,10]\n"
          + "eta = [1,2,3,4,5,6,7,8,9,10]\npenalty-weight = [1,2,3,4,5,6,7,8,9,10]\n",
        [], "more than 100,000; add --yes"
      ),
      ("[grid]\nn = [2, 3]\n", ["--shard", "0/2"], "--shard: 0/2: the shard's number must be 1…2"),
      ("[grid]\nn = [2, 3]\n", ["--shard", "3/2"], "--shard: 3/2: the shard's number must be 1…2"),
      ("[grid]\nn = [2, 3]\n", ["--shard", "a/b"], "--shard: 'a/b' is not I/N"),
      (
        "[grid]\nn = [2, 3]\n", ["--shard", "1/2", "--slurm"], "--slurm: submits every shard itself"
      ),
      ("[grid]\nn = [2, 3]\n", ["--partition", "x"], "--partition: only with --slurm"),
      ("[grid]\nn = [2, 3]\n", ["--jobs", "0"], "--jobs: must be 1…1024"),
      ("[grid]\nn = [2, 3]\n", ["--verify", "--dry-run"], "--verify: checks the kept logs"),
    ]
    for (k, c) in cases.enumerated() {
      let dir = folder.file("case\(k)")
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      let spec = dir + "/spec.toml"
      try Self.write(c.spec, spec)
      let r = await ChildProcess.sptop(
        ["sweep", spec, "--out", dir + "/out"] + c.args, interrupt: 60)
      #expect(r.status != 0 && r.status < 128, "case \(k): status \(r.status)")
      #expect(r.stderr.contains(c.message), "case \(k): \(r.stderr)")
      #expect(r.stderrLines.count == 1, "case \(k): one line: \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "case \(k): nothing written")
    }
    // A folder with files that is not a sweep's is not used.
    let other = folder.file("other")
    try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
    try Self.write("mine", other + "/notes.txt")
    try Self.write("[grid]\nn = [2, 3]\n", folder.file("ok.toml"))
    let r = await ChildProcess.sptop(
      ["sweep", folder.file("ok.toml"), "--out", other], interrupt: 60)
    #expect(
      r.status == 1 && r.stderr.contains("a folder with files and no sweep.json"), "\(r.stderr)")
    #expect(Self.read(other + "/notes.txt") == "mine")
    // collect on a folder that is not a sweep's.
    let c = await ChildProcess.sptop(["sweep", "collect", other], interrupt: 60)
    #expect(c.status == 1 && c.stderr.contains("not a sweep folder (no sweep.json)"), "\(c.stderr)")
  }

  @Test func slurmWritesTheArrayScriptAndShowsWhatSbatchSays() async throws {
    let folder = try TemporaryFolder("sweep-sbatch")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec, spec)
    let bin = folder.file("bin")
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    // No sbatch on PATH.
    // No sbatch on PATH: only python3 (which runs the test's reaper).
    try FileManager.default.createSymbolicLink(
      atPath: bin + "/python3", withDestinationPath: "/usr/bin/python3")
    let none = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("a"), "--slurm"], environment: ["PATH": bin],
      interrupt: 60)
    #expect(none.status == 1)
    #expect(none.stderr.contains("sbatch was not found on PATH"), "\(none.stderr)")
    #expect(FileManager.default.fileExists(atPath: folder.file("a/sweep.sbatch")))
    // An sbatch that fails: its message is shown.
    let sbatch = bin + "/sbatch"
    try Self.write(
      "#!/bin/sh\necho 'sbatch: error: invalid partition specified: gpu' >&2\nexit 1\n", sbatch)
    chmod(sbatch, 0o755)
    let failed = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("b"), "--slurm", "--partition", "gpu"],
      environment: ["PATH": bin + ":/usr/bin:/bin"], interrupt: 60)
    #expect(failed.status == 1)
    #expect(
      failed.stderr.contains(
        "sbatch failed (status 1): sbatch: error: invalid partition specified: gpu"),
      "\(failed.stderr)")
    // One that accepts: the job id, and the script's lines.
    try Self.write("#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\necho 4242\n", sbatch)
    chmod(sbatch, 0o755)
    let ok = await ChildProcess.sptop(
      [
        "sweep", spec, "--out", folder.file("c"), "--slurm", "--shards", "2", "--time", "0:10:00",
        "--cpus-per-task", "2", "--sbatch-arg", "--mem=1G",
      ], environment: ["PATH": bin + ":/usr/bin:/bin"], interrupt: 60)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.contains("submitted job 4242: 2 array tasks for 4 configurations"))
    let script = Self.read(folder.file("c/sweep.sbatch"))
    #expect(script.contains("#SBATCH --array=0-1\n"))
    #expect(script.contains("#SBATCH --time=0:10:00\n") && script.contains("#SBATCH --mem=1G\n"))
    #expect(script.contains("#SBATCH --cpus-per-task=2\n"))
    #expect(script.contains("--shard \"$((SLURM_ARRAY_TASK_ID + 1))/2\""), "\(script)")
    #expect(Self.read(bin + "/args").hasPrefix("--parsable "))
    #expect(Self.read(folder.file("c/sweep.json")).contains("\"shards\" : 2"))
  }

  @Test func aSweepOnATerminalShowsProgressAndRows() throws {
    let folder = try TemporaryFolder("sweep-tty")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec.replacingOccurrences(of: "1500", with: "10000"), spec)
    let s = try TmuxSession.sptopThenExit(
      ["sweep", spec, "--out", folder.file("out"), "--jobs", "1"], width: 160, height: 30)
    defer { s.close() }
    let during = s.waitFor(text: "model-steps/s", timeout: 60)
    let line = during?.first { $0.contains("model-steps/s") } ?? ""
    #expect(line.contains("configurations") && line.contains("ETA"), "\(line)")
    let end = s.waitFor(text: "EXIT 0", timeout: 240)
    #expect(end?.contains { $0.contains("lowest median a-priori error:") } == true)
    #expect(end?.contains { $0.contains("model-steps/s") } == false, "the progress line is gone")
    #expect(end?.filter { $0.contains("sptop sweep: ") && $0.contains(" config ") }.count == 4)
  }

  /// Whether this process may mount a small tmpfs (root with CAP_SYS_ADMIN): the full-disk test
  /// needs a folder whose disk fills up.
  static let canMountTmpfs: Bool = {
    guard geteuid() == 0, let folder = try? TemporaryFolder("mount-probe") else { return false }
    defer { withExtendedLifetime(folder) {} }
    guard shell("mount -t tmpfs -o size=64k tmpfs \(folder.path)") == 0 else { return false }
    return shell("umount \(folder.path)") == 0
  }()

  @discardableResult static func shell(_ command: String) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command + " 2>/dev/null"]
    guard (try? p.run()) != nil else { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
  }

  @Test(.enabled(if: canMountTmpfs, "needs root and permission to mount a tmpfs"))
  func aFullDiskStopsTheSweepWithWhatItFinishedIntact() async throws {
    let folder = try TemporaryFolder("sweep-full")
    defer { withExtendedLifetime(folder) {} }
    let spec = folder.file("spec.toml")
    try Self.write(Self.spec, spec)
    let disk = folder.file("disk")
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    // Each configuration's log is about 0.7 MB: two fit, the third does not.
    try #require(Self.shell("mount -t tmpfs -o size=1800k tmpfs \(disk)") == 0)
    defer { Self.shell("umount \(disk)") }
    let out = disk + "/out"
    let r = await ChildProcess.sptop(["sweep", spec, "--out", out, "--jobs", "1"], interrupt: 300)
    #expect(r.status == 1)
    #expect(r.stderrLines.last?.contains("No space left on device") == true, "\(r.stderr)")
    #expect(r.stderr.contains("the 2 configurations finished are intact"), "\(r.stderr)")
    #expect(Self.logs(out).prefix(2) == ["config-0001.jsonl", "config-0002.jsonl"])
    let verify = await ChildProcess.sptop(
      ["verify", out + "/logs/config-0002.jsonl"], interrupt: 120)
    #expect(verify.status == 0, "\(verify.stderr)")
    let c = await ChildProcess.sptop(["sweep", "collect", out], interrupt: 60)
    #expect(c.stderr.contains("2 of 4 configurations are not finished"), "\(c.stderr)")
  }
}
