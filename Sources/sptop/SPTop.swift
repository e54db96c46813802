import ArgumentParser
import CPlatform
import Foundation
import SPEngine

/// The `sptop` command: the dashboard by default, `run` headless, `bench` for figures.
struct SPTop: ParsableCommand {
  static let version = sptopVersion

  static let configuration = CommandConfiguration(
    commandName: "sptop",
    abstract: "Train neural networks live and watch whether they keep the structure they learn.",
    discussion: "With no subcommand, sptop opens the live dashboard. `sptop run` trains "
      + "headless for scripts and CI; `sptop bench` prints speed figures.",
    version: version,
    subcommands: [
      Dashboard.self, Run.self, Replay.self, Verify.self, Export.self, Sweep.self, Bench.self,
      Themes.self,
    ],
    defaultSubcommand: Dashboard.self
  )
}

/// Entry point: parses, runs, and turns every error into one line on stderr and a non-zero exit.
@main
enum Main {
  static func main() {
    // Large short-lived buffers (a recording's header carries every prior event) go back to
    // the system when freed, rather than fragmenting glibc's heap (see CPlatform).
    _ = sptop_fix_mmap_threshold()
    let prepared = ConfigLoader.prepareOrExit(Array(CommandLine.arguments.dropFirst()))
    do {
      var command = try SPTop.parseAsRoot(prepared.arguments)
      try command.run()
    } catch let error as CommandFailure {
      Diagnostics.error(prepared.annotate(error.message))
      exit(error.status)
    } catch {
      if SPTop.exitCode(for: error) == .success { SPTop.exit(withError: error) }
      let message = SPTop.message(for: error)
      Diagnostics.error(prepared.annotate(message))
      exit(SPTop.exitCode(for: error).rawValue)
    }
  }
}

/// A failure the command reports as one line with its own exit status.
struct CommandFailure: Error {
  var message: String
  var status: Int32 = 1
}
