#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a pthread mutex, shared between threads: the session's inbox, snapshot and
/// result.
///
/// Not `Synchronization.Mutex`, on purpose: on Linux a contended Mutex is handed over inside
/// the kernel (a priority-inheritance futex), where ThreadSanitizer cannot see it, so every
/// contended `withLock` shows up as a race that is not there (tested in .ci/run, which runs the
/// tests and a dashboard under TSan). pthread mutexes are what TSan understands.
public final class Locked<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  public init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` with the value while holding the lock.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
