import ArgumentParser
import Foundation
import SPApp
import SPCurses
import SPDashboard
import SPEngine
import SPTUI

/// `sptop replay LOG`: the dashboard driven by a recorded session instead of training.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay a recorded session in the dashboard, or print its summary table.")

  @Argument(help: "The session log (JSON Lines).")
  var log: String

  @Flag(help: "Print the end-of-run table of `sptop run` instead of opening the screen.")
  var summary = false

  @Option(parsing: .unconditional, help: "Frames per second of the dashboard (1…240).")
  var fps: Int = 30

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
  }

  func run() throws {
    // The screen needs a terminal: said before a long log is read, and pointing to what works
    // without one (the dashboard's message suggests `sptop run`, which replays nothing).
    if !summary {
      for (fd, name) in [(STDIN_FILENO, "stdin"), (STDOUT_FILENO, "stdout")] where isatty(fd) != 1 {
        throw CommandFailure(
          message: "\(name) is not a terminal; use `sptop replay --summary LOG` for the table")
      }
    }
    let contents = try LogCommands.read(log)
    if summary {
      // The summary re-runs the session: on a terminal, how far it is, in place.
      let progress = ProgressLine()
      let result = LogVerifier.result(contents) { step, last in
        progress.show(
          {
            let rate = Double(step) / max(progress.elapsed, 1e-3)
            return "sptop replay: re-running step \(ProgressLine.count(step)) of "
              + "\(ProgressLine.count(last)), \(ProgressLine.count(Int(rate))) steps/s, "
              + ProgressLine.eta(Double(last - step) / max(rate, 1e-9))
          }())
      }
      progress.clear()
      print(ResultTable.render(result), terminator: "")
      return
    }
    let terminal: Terminal
    do {
      terminal = try Terminal.open()
    } catch {
      let text = "\(error)"
      throw CommandFailure(message: text.hasPrefix("sptop: ") ? String(text.dropFirst(7)) : text)
    }
    var loop = ReplayLoop(playback: LogPlayback(contents), terminal: terminal, fps: fps)
    let status = loop.run()
    terminal.close()
    if status != 0 { Foundation.exit(status) }
  }
}
