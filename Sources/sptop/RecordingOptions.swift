import ArgumentParser
import Foundation
import SPEngine
import SPNumerics

/// The recording flags of the dashboard and `sptop run`.
struct RecordingOptions: ParsableArguments {
  @Option(help: "Record the session to this JSON Lines log from the start.")
  var record: String?

  @Flag(help: "Overwrite an existing file (recording, export).")
  var force = false

  @Option(
    parsing: .unconditional,
    help: "Metric records every K session steps (default: iterations/200, or 2000 when unbounded).")
  var logEvery: Int?

  @Option(
    parsing: .unconditional, help: "Evaluation records every E session steps (default: 10×K).")
  var evalEvery: Int?

  func validate() throws {
    if let k = logEvery, k < 1 { throw ValidationError("--log-every: must be ≥ 1, got \(k)") }
    if let e = evalEvery, e < 1 { throw ValidationError("--eval-every: must be ≥ 1, got \(e)") }
  }

  /// K and E for a session of `iterations` steps.
  func intervals(iterations: Int) -> (logEvery: Int, evalEvery: Int) {
    let k = logEvery ?? SessionLog.defaultLogEvery(iterations: iterations)
    return (k, evalEvery ?? SessionLog.defaultEvalEvery(logEvery: k))
  }

  /// Creates the `--record` file now, before anything starts: a path that cannot be written,
  /// or that is one of the command's `inputs` (the configuration or a theme file), is refused
  /// with one line.
  func openRecordFile(inputs: FileGuard) throws -> LogFile? {
    guard let record else { return nil }
    var files = inputs
    do {
      try files.output(record, flag: "--record")
      return try LogFile.create(path: record, force: force)
    } catch {
      throw CommandFailure(message: "\(error)")
    }
  }

  /// The inputs of a training command: the configuration file it read, and for the dashboard
  /// every theme file it may read (`--theme`'s and those the `t` key cycles through).
  static func inputs(configPath: String?, themePaths: [String] = [], logPaths: [String] = [])
    -> FileGuard
  {
    var files = FileGuard()
    if let path = ConfigLoader.path(explicit: configPath) {
      files.input(path, role: "the configuration file")
    }
    for path in themePaths { files.input(path, role: "a theme file") }
    for path in logPaths { files.input(path, role: "the parent log") }
    return files
  }

  /// Refuses a `--record` path that is one of `inputs`, before a long preparation (a fork's
  /// re-run); `openRecordFile` checks again and creates the file.
  func check(inputs: FileGuard) throws {
    guard let record else { return }
    var files = inputs
    do {
      try files.output(record, flag: "--record")
    } catch {
      throw CommandFailure(message: "\(error)")
    }
  }
}

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into a clean end of a headless session: the
/// session gets `.terminate`, writes its end record, and the process exits with 128 + signal.
final class SignalForwarder {
  private let sources: [any DispatchSourceSignal]
  /// The first signal received, readable from any thread.
  let received = SignalBox()

  convenience init(session: TrainingSession) {
    self.init { session.send(.terminate(signal: $0)) }
  }

  /// Catches the four signals; each is noted (`first`) and handed to `forward`.
  init(forward: @escaping @Sendable (Int32) -> Void) {
    let box = received
    // A queue of its own, which Dispatch gives a thread however busy the shared pool is: on
    // `.global()` the handler waited behind the training threads of `Ensemble.run` (which fill
    // that pool) when the machine was crowded, and a Ctrl-C went unheard.
    let queue = DispatchQueue(label: "sptop.signals")
    sources = [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { sig in
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
      source.setEventHandler {
        box.set(sig)
        forward(sig)
      }
      source.resume()
      return source
    }
  }

  /// The first signal received, if any.
  var first: Int32? { received.value }

  deinit { for s in sources { s.cancel() } }
}

/// The first signal number, set once from a Dispatch handler and read by the main thread.
final class SignalBox: Sendable {
  private let storage = Locked<Int32?>(nil)
  func set(_ s: Int32) { storage.withLock { if $0 == nil { $0 = s } } }
  var value: Int32? { storage.withLock { $0 } }
}
