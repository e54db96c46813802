import Dispatch
import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way the tests start a program: swift-subprocess underneath (`run`; `runAndWait`, for
/// synchronous callers, spawns by hand: see there), standard output and
/// error written to files (read back when the program has ended: no pipe to drain, and a
/// daemon the program leaves behind, such as a tmux server, cannot hold a pipe open), stdin
/// from a file, a text or /dev/null.
///
/// What swift-subprocess gives that the tests need: the program found on PATH, its arguments,
/// environment and folder; an empty signal mask and default signal actions in the child (a
/// program started from a Dispatch thread must not inherit its blocked signals: tmux's server
/// then never saw a pane die); no descriptor beyond 0–2 passed on; a process group of its own;
/// signals to it or its group while it runs. The deadline below (`signals`) is built on those.
public enum Launch {
  /// Where the program's standard input comes from.
  public enum Input: Sendable {
    case null
    /// This file.
    case file(String)
    /// This text, then end of file.
    case text(String)
  }

  /// One signal to send `after` seconds unless the program has ended by then.
  public struct Deadline: Sendable {
    public var after: Double
    public var signal: Int32
    public init(after: Double, signal: Int32) {
      self.after = after
      self.signal = signal
    }
  }

  /// How a program ended and what it wrote.
  public struct Outcome: Sendable {
    /// The exit status, 128 + n when signal n ended it, -1 when it could not start.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
    /// The deadlines' signals that were sent, in order.
    public var signalsSent: [Int32]

    /// Whether it exited (not killed by a signal) with status 0.
    public var succeeded: Bool { status == 0 }
  }

  /// Runs `arguments` (the first a path, or a name found on the PATH of `environment`) with
  /// `environment` (nil: the test's own), in `directory` (nil: the test's), and waits for it.
  /// With `newProcessGroup` it leads a process group of its own and the deadlines' signals go
  /// to the whole group (so they reach what it starts). With `mergeStandardError` stderr goes
  /// where stdout goes, interleaved (`stderr` is then empty).
  public static func run(
    _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    stdin: Input = .null, newProcessGroup: Bool = false, mergeStandardError: Bool = false,
    signals: [Deadline] = []
  ) async -> Outcome {
    let started = Date()
    let failed = { (why: String) in
      Outcome(
        status: -1, stdout: "", stderr: why, seconds: Date().timeIntervalSince(started),
        signalsSent: [])
    }
    guard let program = arguments.first else { return failed("nothing to run") }
    let files: StandardFiles
    do { files = try StandardFiles(stdin: stdin, mergeStandardError: mergeStandardError) } catch {
      return failed(error.why)
    }
    defer { withExtendedLifetime(files.folder) {} }
    let (out, err, inputPath) = (files.out, files.err, files.input)
    let input: FileDescriptor
    let output: FileDescriptor
    let error: FileDescriptor
    do {
      input = try FileDescriptor.open(FilePath(inputPath), .readOnly)
      let create: FileDescriptor.OpenOptions = [.create, .truncate, .append]
      output = try FileDescriptor.open(
        FilePath(out), .writeOnly, options: create, permissions: .ownerReadWrite)
      error = try FileDescriptor.open(
        FilePath(err), .writeOnly, options: create, permissions: .ownerReadWrite)
    } catch {
      return failed("cannot open the standard files: \(error)")
    }
    var options = PlatformOptions()
    if newProcessGroup { options.processGroupID = 0 }
    let configuration = Configuration(
      executable: program.contains("/") ? .path(FilePath(program)) : .name(program),
      arguments: Arguments(Array(arguments.dropFirst())),
      environment: environment.map { env in
        // Raw entries are C strings: swift-subprocess strdup()s each, so each ends in NUL
        // (without it the child read past the end: a TMPDIR of ".../work�;" was seen).
        .custom(env.sorted { $0.key < $1.key }.map { Array("\($0.key)=\($0.value)\0".utf8) })
      } ?? .inherit,
      workingDirectory: directory.map { FilePath($0) }, platformOptions: options)
    let status: Int32
    let sent: [Int32]
    do {
      let result = try await Subprocess.run(
        configuration, input: .fileDescriptor(input, closeAfterSpawningProcess: true),
        output: .fileDescriptor(output, closeAfterSpawningProcess: true),
        error: .fileDescriptor(error, closeAfterSpawningProcess: true)
      ) { execution in
        await keep(execution, to: signals, since: started, group: newProcessGroup)
      }
      switch result.terminationStatus {
      case .exited(let code): status = code
      case .signaled(let signal): status = 128 + signal
      }
      sent = result.closureResult
    } catch {
      return failed("\(program) did not start: \(error)")
    }
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return Outcome(
      status: status, stdout: read(out), stderr: mergeStandardError ? "" : read(err),
      seconds: Date().timeIntervalSince(started), signalsSent: sent)
  }

  /// `run` for synchronous callers, by hand with posix_spawn: the one piece not on
  /// swift-subprocess. Its API is async only, and it starts an unstructured `Task` (Teardown.swift's
  /// `withUncancelledTask`) that runs on the global cooperative pool whatever executor the caller
  /// prefers; a synchronous test blocking a pool thread until the program ends then deadlocks as
  /// soon as every pool thread (two on two cores) is such a test — seen in RunCommandTests. Here
  /// the same files, the same clean child (empty signal mask, default signal actions, no
  /// descriptor beyond 0–2, optionally a group of its own) and the same deadlines, waited for
  /// with waitpid on the caller's thread.
  public static func runAndWait(
    _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    stdin: Input = .null, newProcessGroup: Bool = false, mergeStandardError: Bool = false,
    signals: [Deadline] = []
  ) -> Outcome {
    let started = Date()
    let failed = { (why: String) in
      Outcome(
        status: -1, stdout: "", stderr: why, seconds: Date().timeIntervalSince(started),
        signalsSent: [])
    }
    let files: StandardFiles
    do { files = try StandardFiles(stdin: stdin, mergeStandardError: mergeStandardError) } catch {
      return failed(error.why)
    }
    defer { withExtendedLifetime(files.folder) {} }
    let (out, err, inputPath) = (files.out, files.err, files.input)
    var argv = arguments
    if let directory {
      // posix_spawn has no portable "change folder" action: a shell does it, then execs.
      argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
    }
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    guard
      let pid = spawn(
        argv, environment: env, stdin: inputPath, stdout: out, stderr: err,
        append: mergeStandardError, newProcessGroup: newProcessGroup)
    else { return failed("\(arguments.first ?? "") did not start") }
    var sent: [Int32] = []
    var pending = signals.sorted { $0.after < $1.after }[...]
    var status: Int32 = 0
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { return failed("waitpid: \(errno)") }
      if let next = pending.first, Date().timeIntervalSince(started) >= next.after {
        pending.removeFirst()
        kill(newProcessGroup ? -pid : pid, next.signal)
        sent.append(next.signal)
      }
      usleep(1_000)
    }
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return Outcome(
      status: code, stdout: read(out), stderr: mergeStandardError ? "" : read(err),
      seconds: Date().timeIntervalSince(started), signalsSent: sent)
  }

  /// posix_spawnp with stdin from a file, stdout and stderr to files, an empty signal mask and
  /// default signal actions, no descriptor beyond 0–2; the pid, or nil.
  static func spawn(
    _ arguments: [String], environment: [String], stdin: String, stdout: String, stderr: String,
    append: Bool, newProcessGroup: Bool
  ) -> pid_t? {
    #if canImport(Glibc)
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
    #else
      var actions: posix_spawn_file_actions_t?
      var attributes: posix_spawnattr_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    let create = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, create, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, create, 0o600)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    if newProcessGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
    }
    #if canImport(Glibc)
      // Descriptors other tests' pipes left open without FD_CLOEXEC.
      let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
      for fd in open.compactMap({ Int32($0) }) where fd > 2 {
        posix_spawn_file_actions_addclose(&actions, fd)
      }
    #else
      flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
    #endif
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigfillset(&signals)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    posix_spawnattr_setflags(&attributes, Int16(flags))
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid = pid_t()
    guard posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp) == 0 else {
      return nil
    }
    return pid
  }

  /// The path of `name` (an executable or library target of this package) in the build folder
  /// of this test run: SwiftPM puts it beside the test bundle. nil when it is not there.
  public static func built(_ name: String) -> String? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent(name).path
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/" + name
    return FileManager.default.fileExists(atPath: fallback) ? fallback : nil
  }

  /// Sends the deadlines' signals in turn, each once its time has come, until the program has
  /// ended (checked every 3 ms without reaping it: swift-subprocess does that); the signals
  /// sent.
  static func keep<I, O, E>(
    _ execution: Execution<I, O, E>, to deadlines: [Deadline], since started: Date, group: Bool
  ) async -> [Int32] {
    var sent: [Int32] = []
    var pending = deadlines.sorted { $0.after < $1.after }[...]
    let pid = execution.processIdentifier.value
    while let next = pending.first, !hasEnded(pid) {
      if Date().timeIntervalSince(started) >= next.after {
        pending.removeFirst()
        try? execution.send(signal: Signal(rawValue: next.signal), toProcessGroup: group)
        sent.append(next.signal)
      } else {
        try? await Task.sleep(nanoseconds: 3_000_000)
      }
    }
    return sent
  }

  /// Whether child `pid` has ended (or was reaped already), leaving it to be reaped.
  static func hasEnded(_ pid: pid_t) -> Bool {
    var info = siginfo_t()
    let r = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    if r < 0 { return errno != EINTR }
    #if canImport(Glibc)
      return info._sifields._kill.si_pid != 0
    #else
      return info.si_pid != 0
    #endif
  }
}

/// Why a launch could not set up its files.
private struct SetupFailure: Error {
  let why: String
}

/// The files of one launch, for `run` and `runAndWait` alike: a folder of its own holding
/// stdout and stderr (one file when merged), and the stdin to read (`/dev/null`, a given file,
/// or the given text written there).
private struct StandardFiles {
  let folder: TemporaryFolder
  let out: String
  let err: String
  let input: String

  init(stdin: Launch.Input, mergeStandardError: Bool) throws(SetupFailure) {
    do { folder = try TemporaryFolder("launch") } catch { throw SetupFailure(why: "\(error)") }
    out = folder.file("stdout")
    err = mergeStandardError ? out : folder.file("stderr")
    switch stdin {
    case .null: input = "/dev/null"
    case .file(let path): input = path
    case .text(let text):
      input = folder.file("stdin")
      guard (try? text.write(toFile: input, atomically: false, encoding: .utf8)) != nil else {
        throw SetupFailure(why: "cannot write \(input)")
      }
    }
  }
}
