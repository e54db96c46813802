import ArgumentParser

/// `sptop` (the default): the live dashboard.
struct Dashboard: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open the live dashboard (the default when no subcommand is given).")

  @OptionGroup var training: TrainingOptions

  @Option(help: "Frames per second of the dashboard.")
  var fps: Int = 30

  func validate() throws {
    if !(1...240).contains(fps) { throw ValidationError("--fps: must be 1…240, got \(fps)") }
  }

  func run() throws {
    throw CommandFailure(message: "the dashboard is not built yet; use `sptop run`")
  }
}
