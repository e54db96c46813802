import Foundation
import SPTestSupport
import Testing

/// `sptop sweep --slurm` on a real Slurm: a one-node cluster started on this machine by
/// `.ci/slurm-cluster` (munged, slurmctld, slurmd as root, everything in a scratch folder),
/// a sweep submitted as a job array, one array task cancelled while it runs, `collect` naming
/// it with the command that reruns it, the rerun, and the summary equal to the local run's byte
/// for byte. Skipped (saying so) on a machine without Slurm: install Debian's `slurm-wlm` and
/// `munge` (`.ci/run` does) and run the tests as root.
@Suite(.timeLimit(.minutes(10))) struct SlurmEndToEndTests {
  /// The repository's `.ci/slurm-cluster`.
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      ".ci/slurm-cluster"
    ).path

  static let available: Bool = geteuid() == 0 && shell([script, "check"]).status == 0

  /// Runs `argv` with `environment` added; its status and output (stdout, then stderr). The
  /// output goes through files (`Launch`), not pipes: the daemons `start` leaves running
  /// inherit them, and a pipe would not reach its end while they live.
  @discardableResult static func shell(_ argv: [String], environment: [String: String] = [:])
    -> (status: Int32, output: String)
  {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    env["PATH"] = (env["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
    let r = Launch.runAndWait(argv, environment: env)
    return (r.status, r.stdout + r.stderr)
  }

  /// Waits until `squeue` lists nothing of `job` (at most `timeout` seconds); true if so.
  static func waitForJob(_ job: String, _ env: [String: String], timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let q = shell(["squeue", "-h", "-j", job], environment: env)
      if q.status == 0 && q.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        return true
      }
      usleep(300_000)
    }
    return false
  }

  @Test(
    .enabled(
      if: available,
      "needs Slurm and munge (Debian: apt-get install slurm-wlm munge; .ci/run installs them) and root, to start a one-node cluster"
    ))
  func aSweepRunsAsAJobArrayAndACancelledTaskIsNamedAndRerun() async throws {
    let folder = try TemporaryFolder("slurm")
    defer { withExtendedLifetime(folder) {} }
    // munged's socket path must stay short: the cluster lives in a short folder of its own.
    let cluster = "/tmp/sptop-slurm-\(getpid())"
    try? FileManager.default.removeItem(atPath: cluster)
    let started = Self.shell(
      [Self.script, "start", cluster], environment: ["SLURM_CLUSTER_CPUS": "4"])
    defer {
      Self.shell([Self.script, "stop", cluster])
      try? FileManager.default.removeItem(atPath: cluster)
    }
    try #require(started.status == 0, "the cluster did not start: \(started.output)")
    let env = ["SLURM_CONF": cluster + "/slurm.conf"]
    let spec = folder.file("spec.toml")
    // The sweep tests' 2 × 2 grid, long enough to cancel a task while it trains.
    try SweepEndToEndTests.spec.replacingOccurrences(of: "1500", with: "12000")
      .write(toFile: spec, atomically: true, encoding: .utf8)
    let local = await ChildProcess.sptop(
      ["sweep", spec, "--out", folder.file("local")], interrupt: 300)
    try #require(local.status == 0, "\(local.stderr)")
    // Submitted as 4 array tasks, one configuration each.
    let dir = folder.file("slurm")
    let submitted = await ChildProcess.sptop(
      ["sweep", spec, "--out", dir, "--slurm"], environment: env, interrupt: 60)
    try #require(submitted.status == 0, "\(submitted.stderr)")
    let job = try #require(
      submitted.stdout.split(separator: "\n").first?.split(separator: " ").dropFirst(2).first
        .map { String($0.dropLast()) }, "\(submitted.stdout)")
    #expect(submitted.stdout.contains("submitted job \(job): 4 array tasks for 4 configurations"))
    // Task 1 (configuration 2) is cancelled while it trains (its log begun).
    let deadline = Date().addingTimeInterval(60)
    let partial = dir + "/logs/config-0002.jsonl.partial"
    var running = false
    while !running && Date() < deadline {
      running = FileManager.default.fileExists(atPath: partial)
      if !running { usleep(50_000) }
    }
    try #require(running, "array task \(job)_1 never began its configuration")
    #expect(Self.shell(["scancel", "\(job)_1"], environment: env).status == 0)
    #expect(Self.waitForJob(job, env, timeout: 240), "the array finished")
    let missing = await ChildProcess.sptop(["sweep", "collect", dir], interrupt: 60)
    #expect(missing.status == 1)
    #expect(
      missing.stderr.contains("config 2 (eta=0.001 width=5), shard 2/4: started, not finished"),
      "\(missing.stderr)")
    #expect(missing.stderr.contains("1 of 4 configurations are not finished"))
    let rerun = "sbatch --array=1 \(dir)/sweep.sbatch"
    #expect(missing.stderr.contains("or on Slurm: \(rerun)"), "\(missing.stderr)")
    #expect(missing.stderr.contains("--shard 2/4"))
    // The rerun of exactly that task completes the sweep.
    let again = Self.shell(
      ["sbatch", "--parsable", "--array=1", dir + "/sweep.sbatch"], environment: env)
    try #require(again.status == 0, "\(again.output)")
    let second = again.output.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(Self.waitForJob(second, env, timeout: 240))
    let merged = await ChildProcess.sptop(["sweep", "collect", dir], interrupt: 60)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(
      (try? String(contentsOfFile: dir + "/summary.csv", encoding: .utf8))
        == (try? String(contentsOfFile: folder.file("local/summary.csv"), encoding: .utf8)),
      "summary.csv byte for byte that of the local run")
    #expect(merged.stdout == local.stdout)
    // Each task wrote its own output file.
    let outputs = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/slurm")) ?? []
    #expect(outputs.filter { $0.hasSuffix(".out") }.count == 5, "\(outputs)")
  }
}
