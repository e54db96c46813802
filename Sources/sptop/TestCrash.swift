import Dispatch
import Foundation

/// A test hook, not a feature: `SPTOP_TEST_CRASH=MS` makes the dashboard trap on purpose MS
/// milliseconds after its screen opened, on the UI thread (`background:MS`: on another thread),
/// so the end-to-end tests can check that a crash still restores the terminal; `hang:MS` makes
/// the UI thread stop for good instead (sleeping, so it never acts on a quit signal), to test
/// that a second quit signal still restores the terminal and ends the process. The variable is
/// read once at start; sptop never sets it, and any other value is ignored.
struct TestCrash {
  static let variable = "SPTOP_TEST_CRASH"

  /// When to crash (monotonic seconds).
  let deadline: Double
  /// What happens at the deadline.
  let kind: Kind

  enum Kind: String {
    /// A trap on the UI thread.
    case trap = ""
    /// A trap on another thread.
    case background = "background:"
    /// The UI thread sleeps forever.
    case hang = "hang:"
  }

  /// The hook asked for in the environment, counting from `now`; nil when not asked for.
  static func fromEnvironment(now: Double) -> TestCrash? {
    guard var text = ProcessInfo.processInfo.environment[variable] else { return nil }
    var kind = Kind.trap
    for k in [Kind.background, .hang] where text.hasPrefix(k.rawValue) {
      kind = k
      text.removeFirst(k.rawValue.count)
    }
    guard let ms = Int(text), (0...3_600_000).contains(ms) else { return nil }
    return TestCrash(deadline: now + Double(ms) / 1000, kind: kind)
  }

  /// Traps here, or on a global queue (the caller goes on until the trap lands), or sleeps here
  /// for good.
  func fire() {
    let message = "\(Self.variable): a deliberate crash for the tests"
    switch kind {
    case .trap: fatalError(message)
    case .background: DispatchQueue.global().async { fatalError(message) }
    case .hang: while true { sleep(3600) }
    }
  }
}
