import Testing

@testable import SPNumerics

/// `Parallel.forEach`: every index once, on any number of threads, and a stop.
@Suite struct ParallelTests {
  @Test(arguments: [1, 2, 3, 8])
  func everyIndexRunsOnce(threads: Int) {
    for count in [0, 1, 2, 7, 100] {
      let seen = Locked([Int](repeating: 0, count: count))
      let all = Parallel.forEach(count, threads: threads) { k in
        seen.withLock { $0[k] += 1 }
        return true
      }
      #expect(all)
      #expect(seen.withLock { $0 } == [Int](repeating: 1, count: count), "\(count) items")
    }
  }

  /// One thread stops at once; on several, each index still runs at most once and the
  /// result says the work was stopped (how many others ran depends on the threads' timing).
  @Test(arguments: [1, 2, 4])
  func aFalseStopsTheWork(threads: Int) {
    let runs = Locked([Int](repeating: 0, count: 1000))
    let all = Parallel.forEach(1000, threads: threads) { k in
      runs.withLock { $0[k] += 1 }
      return k != 3
    }
    #expect(!all)
    let counts = runs.withLock { $0 }
    #expect(counts[3] == 1)
    #expect(counts.allSatisfy { $0 <= 1 })
    if threads == 1 { #expect(counts.reduce(0, +) == 4) }
  }
}
