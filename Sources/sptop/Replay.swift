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
    let contents = try LogCommands.read(log)
    if summary {
      print(ResultTable.render(LogVerifier.result(contents)), terminator: "")
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
