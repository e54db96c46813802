import Foundation
import SPTestSupport
import Testing

/// Runs the built `sptop` binary and captures what it prints.
struct SPTopProcess {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `sptop` binary next to the test bundle (SwiftPM puts both in the build folder).
  static var binary: URL {
    URL(fileURLWithPath: Launch.built("sptop") ?? ".build/debug/sptop")
  }

  /// Runs sptop with `arguments` (the environment is the test's plus `environment`), writes
  /// `stdin` to it, and waits; after `timeout` seconds records an Issue and ends it (SIGTERM,
  /// then SIGKILL 5 s later).
  static func run(
    _ arguments: [String], environment: [String: String] = [:], stdin: String = "",
    timeout: Double = 120
  ) throws -> Output {
    var env = ProcessInfo.processInfo.environment
    env["XDG_CONFIG_HOME"] = "/nonexistent/sptop-e2e"  // the user's own config stays out
    for (k, v) in environment { env[k] = v }
    let r = Launch.runAndWait(
      [binary.path] + arguments, environment: env,
      stdin: .text(stdin),
      signals: [
        Launch.Deadline(after: timeout, signal: SIGTERM),
        Launch.Deadline(after: timeout + 5, signal: SIGKILL),
      ])
    if !r.signalsSent.isEmpty {
      Issue.record("sptop \(arguments) did not finish within \(timeout) s")
    }
    if r.status == -1 { throw LaunchFailure(description: r.stderr) }
    return Output(status: r.status, stdout: r.stdout, stderr: r.stderr)
  }

  struct LaunchFailure: Error, CustomStringConvertible {
    var description: String
  }
}
