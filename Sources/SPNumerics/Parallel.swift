import Dispatch

/// Work spread over threads the one way sptop does it: each thread takes the next item no
/// thread has taken yet, so a thread slowed down (by the machine, or by slower items) takes
/// fewer and none waits with a fixed share left. Which thread does an item never changes what
/// the item computes.
public enum Parallel {
  /// Calls `body(k)` for k in 0..<count on up to `threads` threads (the caller's among them),
  /// each call on the next k not yet taken. When a call returns false, each thread starts no
  /// new k once it sees that (the calls under way finish); the result says whether every k was
  /// done.
  @discardableResult
  public static func forEach(
    _ count: Int, threads: Int, _ body: @Sendable (Int) -> Bool
  ) -> Bool {
    let workers = max(1, min(threads, count))
    guard workers > 1 else {
      for k in 0..<count where !body(k) { return false }
      return true
    }
    let next = Locked(0)
    let halted = Locked(false)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while !halted.withLock({ $0 }) {
        let k = next.withLock { n in
          defer { n += 1 }
          return n
        }
        guard k < count else { return }
        if !body(k) { halted.withLock { $0 = true } }
      }
    }
    return !halted.withLock { $0 }
  }
}
