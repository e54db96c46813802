import Dispatch
import Foundation

/// A test hook, not a feature: `SPTOP_TEST_CRASH=MS` makes the dashboard trap on purpose MS
/// milliseconds after its screen opened, on the UI thread (`background:MS`: on another thread),
/// so the end-to-end tests can check that a crash still restores the terminal. The variable is
/// read once at start; sptop never sets it, and any other value is ignored.
struct TestCrash {
  static let variable = "SPTOP_TEST_CRASH"

  /// When to crash (monotonic seconds).
  let deadline: Double
  /// Crash on a background thread instead of the UI thread.
  let background: Bool

  /// The hook asked for in the environment, counting from `now`; nil when not asked for.
  static func fromEnvironment(now: Double) -> TestCrash? {
    guard var text = ProcessInfo.processInfo.environment[variable] else { return nil }
    let background = text.hasPrefix("background:")
    if background { text.removeFirst("background:".count) }
    guard let ms = Int(text), (0...3_600_000).contains(ms) else { return nil }
    return TestCrash(deadline: now + Double(ms) / 1000, background: background)
  }

  /// Traps: here, or on a global queue (the caller goes on until the trap lands).
  func fire() {
    let message = "\(Self.variable): a deliberate crash for the tests"
    if background {
      DispatchQueue.global().async { fatalError(message) }
    } else {
      fatalError(message)
    }
  }
}
