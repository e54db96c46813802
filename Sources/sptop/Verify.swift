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
    // On a terminal: records checked, steps re-run per second and the time left, in place.
    let progress = ProgressLine()
    let report = LogVerifier.verify(contents) { p in
      progress.show(
        {
          let rate = Double(p.step) / max(progress.elapsed, 1e-3)
          let left = Double(p.lastStep - p.step) / max(rate, 1e-9)
          return "sptop verify: \(ProgressLine.count(p.checked)) of "
            + "\(ProgressLine.count(p.records)) records checked, step "
            + "\(ProgressLine.count(p.step)) of \(ProgressLine.count(p.lastStep)), "
            + "\(ProgressLine.count(Int(rate))) steps/s, \(ProgressLine.eta(left))"
        }())
    }
    progress.clear()
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
    // On a terminal, a long log shows how much of it has been read.
    let line = ProgressLine()
    defer { line.clear() }
    do {
      let contents = try LogReader.read(path: path) { p in
        line.show(
          {
            let fraction = Double(p.bytesRead) / Double(max(p.totalBytes, 1))
            let left = line.elapsed / max(fraction, 1e-9) * (1 - fraction)
            return "sptop: reading \(path): \(Int(fraction * 100))% "
              + "(\(p.bytesRead >> 20) of \(p.totalBytes >> 20) MiB), "
              + "\(ProgressLine.count(p.lines)) lines, \(ProgressLine.eta(left))"
          }())
      }
      line.clear()
      for w in contents.warnings { Diagnostics.warn("\(w)") }
      return contents
    } catch let error as LogError {
      throw CommandFailure(message: error.description)
    }
  }
}
