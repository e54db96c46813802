import Foundation
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
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("sptop")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    return cwd.appendingPathComponent(".build/debug/sptop")
  }

  static func run(
    _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
    timeout: Double = 120
  ) throws -> Output {
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["XDG_CONFIG_HOME"] = "/nonexistent/sptop-e2e"  // the user's own config stays out
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes while the process runs so a large output cannot block it.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    DispatchQueue.global().async(group: group) {
      outData = out.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
      errData = err.fileHandleForReading.readDataToEndOfFile()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(5000) }
    if p.isRunning {
      p.terminate()
      Issue.record("sptop \(arguments) did not finish within \(timeout) s")
    }
    p.waitUntilExit()
    group.wait()
    return Output(
      status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
