import Foundation
import SPTestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the `sptop` binary as a grandchild under a small python3 reaper that reports its exit
/// status and peak resident memory (`wait4`'s `ru_maxrss`). Not a direct child: Linux starts a
/// process's `ru_maxrss` from the memory of whatever exec'd into it, and posix_spawn's child
/// shares the test runner's (hundreds of MiB) until its exec; the reaper's is about 10 MiB.
/// Started by `Launch` (SPTestSupport): output to files; stdin a file (/dev/null by default).
/// `interrupt` seconds after sptop has set up its SIGINT handling it gets SIGINT, and SIGKILL if
/// it is still there `grace` seconds later (`reaper`).
struct ChildProcess {
  struct Result {
    /// The exit status, or 128 + signal when a signal ended it.
    var status: Int32
    var stdout: String
    var stderr: String
    /// Peak resident set size of the child, KiB.
    var peakKiB: Int
    var seconds: Double
    /// Whether the child got the SIGINT (it was still running `interrupt` seconds after it took
    /// charge of SIGINT).
    var interrupted: Bool
    /// Whether it had to be killed (it ignored SIGINT for `grace` seconds).
    var killed: Bool

    /// stderr's lines, without the final empty one.
    var stderrLines: [String] {
      stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
  }

  /// Runs sptop with `arguments`; `umask` (octal) is set for it through `sh -c 'umask …; exec'`.
  static func sptop(
    _ arguments: [String], environment: [String: String] = [:], stdin: String = "/dev/null",
    umask: String? = nil, interrupt: Double = 30, grace: Double = 5
  ) async -> Result {
    var argv = [SPTopProcess.binary.path] + arguments
    if let umask {
      argv = ["/bin/sh", "-c", "umask \(umask) && exec \"$0\" \"$@\""] + argv
    }
    var env = ProcessInfo.processInfo.environment
    env["XDG_CONFIG_HOME"] = "/nonexistent/sptop-e2e"
    env["NO_COLOR"] = nil
    for (k, v) in environment { env[k] = v }
    return await run(argv, environment: env, stdin: stdin, interrupt: interrupt, grace: grace)
  }

  /// The reaper: in folder argv[2], spawns argv[5...] with SIGINT at its default and waits. It
  /// sends SIGINT argv[3] seconds after the child has taken charge of SIGINT (caught or ignored
  /// it, /proc/PID/status) — or, if it never does, argv[3] + 10 seconds after the start — and
  /// SIGKILL argv[4] seconds after that: a signal sent before a slow start had set its handler
  /// up would kill the child at once, or be lost. Writes "status maxrss interrupted killed" (the
  /// raw wait status, KiB, 0 or 1 twice) to argv[1]. It ignores SIGINT itself.
  static let reaper = """
    import os, signal, sys, time
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    report, work, interrupt, grace = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    os.chdir(work)
    pid = os.posix_spawn(sys.argv[5], sys.argv[5:], os.environ, setsigdef=[signal.SIGINT])
    start = time.monotonic()
    def takes_sigint():
        try:
            with open(f"/proc/{pid}/status") as f:
                return any(l.startswith(("SigCgt:", "SigIgn:")) and int(l.split()[1], 16) & 2 for l in f)
        except OSError:
            return False
    due = start + interrupt + 10
    ready = False
    interrupted = killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        now = time.monotonic()
        if not ready and takes_sigint():
            ready = True
            due = min(due, now + interrupt)
        if not interrupted and now >= due:
            os.kill(pid, signal.SIGINT)
            interrupted = True
        elif interrupted and not killed and now >= due + grace:
            os.kill(pid, signal.SIGKILL)
            killed = True
        time.sleep(0.01)
    with open(report, "w") as f:
        f.write(f"{status} {usage.ru_maxrss} {int(interrupted)} {int(killed)}")
    """

  static func run(
    _ arguments: [String], environment: [String: String], stdin: String, interrupt: Double,
    grace: Double
  ) async -> Result {
    guard let folder = try? TemporaryFolder("child") else {
      return Result(
        status: -1, stdout: "", stderr: "no temporary folder", peakKiB: 0, seconds: 0,
        interrupted: false, killed: false)
    }
    defer { withExtendedLifetime(folder) {} }
    let report = folder.file("report")
    // The child runs in this private folder, so a relative path on a random command line
    // (`--record 0x10`) writes nothing outside it, and so do its temporary files.
    let work = folder.file("work")
    try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    var environment = environment
    environment["TMPDIR"] = work
    // The reaper sends the signals; a SIGKILL to its process group (its own, so it reaches the
    // reaper and sptop) only if the reaper itself hangs.
    let outcome = await Launch.run(
      ["python3", "-c", reaper, report, work, "\(interrupt)", "\(grace)"] + arguments,
      environment: environment, stdin: .file(stdin), newProcessGroup: true,
      signals: [Launch.Deadline(after: interrupt + grace + 60, signal: SIGKILL)])
    // When the reaper could not start, the report is empty: status -1, and stderr says why.
    let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
    let fields = text.split(separator: " ").compactMap { Int32($0) }
    let raw = fields.first ?? -1
    let code = raw < 0 ? -1 : raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    return Result(
      status: code, stdout: outcome.stdout, stderr: outcome.stderr,
      peakKiB: fields.count > 1 ? Int(fields[1]) : 0, seconds: outcome.seconds,
      interrupted: fields.count > 2 && fields[2] == 1,
      killed: (fields.count > 3 && fields[3] == 1) || outcome.signalsSent.contains(SIGKILL))
  }
}
