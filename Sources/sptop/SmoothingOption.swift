import ArgumentParser
import SPTUI

/// `--smoothing W`: the weight of the debiased exponential moving average the big chart (the
/// dashboard, `replay`) or the a-priori figure (`export --svg`) is smoothed with.
struct SmoothingOption: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Smooth the curves over steps (the dashboard's big chart; export --svg's a-priori "
        + "figure) with TensorBoard's debiased exponential moving average of this weight, over "
        + "the logarithms on a log axis, the raw curves faint behind: \(Smoothing.accepted). "
        + "(default: off)", valueName: "weight"))
  var smoothing: String?

  func validate() throws {
    _ = try weight()
  }

  /// The weight given (0 when none), or the one-line refusal naming the flag.
  func weight() throws(ValidationError) -> Double {
    guard let smoothing else { return 0 }
    guard let w = Smoothing.weight(parsing: smoothing) else {
      throw ValidationError("--smoothing: expected \(Smoothing.accepted), got '\(smoothing)'")
    }
    return w
  }
}
