import Dispatch
import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way the tests start a program: swift-subprocess underneath, standard output and
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
    let folder: TemporaryFolder
    do { folder = try TemporaryFolder("launch") } catch { return failed("\(error)") }
    let out = folder.file("stdout")
    let err = mergeStandardError ? out : folder.file("stderr")
    var inputPath = "/dev/null"
    switch stdin {
    case .null: break
    case .file(let path): inputPath = path
    case .text(let text):
      inputPath = folder.file("stdin")
      guard (try? text.write(toFile: inputPath, atomically: false, encoding: .utf8)) != nil else {
        return failed("cannot write \(inputPath)")
      }
    }
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
        .custom(env.sorted { $0.key < $1.key }.map { Array("\($0.key)=\($0.value)".utf8) })
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

  /// `run` for synchronous callers: waits on this thread while the program runs on an executor
  /// of its own (a Dispatch queue), so a synchronous test never waits for a thread of the
  /// cooperative pool that it may itself be holding.
  public static func runAndWait(
    _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    stdin: Input = .null, newProcessGroup: Bool = false, mergeStandardError: Bool = false,
    signals: [Deadline] = []
  ) -> Outcome {
    let box = OutcomeBox()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: QueueExecutor.shared) {
      box.outcome = await run(
        arguments, environment: environment, directory: directory, stdin: stdin,
        newProcessGroup: newProcessGroup, mergeStandardError: mergeStandardError,
        signals: signals)
      done.signal()
    }
    done.wait()
    return box.outcome!
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

/// Where `runAndWait`'s task leaves its outcome; written once, read after the semaphore.
private final class OutcomeBox: @unchecked Sendable {
  var outcome: Launch.Outcome?
}

/// Runs tasks on a concurrent Dispatch queue, apart from the cooperative pool.
private final class QueueExecutor: TaskExecutor {
  static let shared = QueueExecutor()
  private let queue = DispatchQueue(label: "SPTestSupport.Launch", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
