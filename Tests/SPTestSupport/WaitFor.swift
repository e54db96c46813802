import Foundation

/// Polls `value` every `interval` seconds until it gives a value, and returns it; nil once
/// `timeout` seconds have passed without one. The one polling wait of the tests: a session's
/// snapshot, a screen, a process's pid or exit are all waited for with it.
@discardableResult
public func waitFor<T>(
  timeout: Double = 10, every interval: Double = 0.002, _ value: () throws -> T?
) rethrows -> T? {
  let deadline = Date().addingTimeInterval(timeout)
  while true {
    if let found = try value() { return found }
    guard Date() < deadline else { return nil }
    usleep(UInt32(interval * 1_000_000))
  }
}

/// Polls `condition` every `interval` seconds until it holds (true), or `timeout` seconds have
/// passed (false).
@discardableResult
public func waitFor(
  timeout: Double = 10, every interval: Double = 0.002, _ condition: () throws -> Bool
) rethrows -> Bool {
  try waitFor(timeout: timeout, every: interval) { try condition() ? true : nil } ?? false
}

/// `waitFor` for async tests: sleeps with `Task.sleep`, never holding a thread of the
/// cooperative pool (two on a two-core machine) that other tests need.
@discardableResult
public func waitFor<T>(
  timeout: Double = 10, every interval: Double = 0.002, _ value: () async throws -> T?
) async rethrows -> T? {
  let deadline = Date().addingTimeInterval(timeout)
  while true {
    if let found = try await value() { return found }
    guard Date() < deadline else { return nil }
    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
  }
}
