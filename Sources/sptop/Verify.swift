import ArgumentParser
import Foundation
import SPEngine

/// `sptop verify LOG`: re-runs a recorded session and checks every number bit for bit.
struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-run a recorded session and check every recorded number bit for bit.")

  @Argument(help: "The session log (JSON Lines) to verify.")
  var log: String

  func run() throws {
    let contents = try LogCommands.read(log)
    let report = LogVerifier.verify(contents)
    if let d = report.difference {
      throw CommandFailure(message: "verify \(log): first difference at \(d)")
    }
    var line = "sptop verify: \(log): \(report.metricsChecked) metric records, "
    line += "\(report.evalsChecked) evaluation records"
    if report.endChecked {
      line += " and \(report.parametersChecked) final parameters are bit for bit identical"
    } else {
      line += " are bit for bit identical; the log has no end record (cut at line "
      line += "\(contents.lineCount)), so the final parameters were not checked"
    }
    print(line)
  }
}

/// Reading logs for the log subcommands: warnings to stderr, errors as one line.
enum LogCommands {
  static func read(_ path: String) throws -> SessionLogContents {
    do {
      let contents = try LogReader.read(path: path)
      for w in contents.warnings { Diagnostics.warn("\(w)") }
      return contents
    } catch let error as LogError {
      throw CommandFailure(message: error.description)
    }
  }
}
