import MallocInterposerSwift
import SPNumerics

/// Counts the heap allocations of training steps with a real malloc hook: the malloc
/// interposer, which must be preloaded (`LD_PRELOAD=…/libMallocInterposerSwift.so`; the test
/// `AllocationTests` does it). For every architecture of the registry and every optimiser, a
/// Trainer takes `warmUp` steps uncounted, then `steps` steps with counting on; one line a case:
///
///     case <architecture> <optimizer> steps=<taken> mallocs=<count> bytes=<count>
///
/// and last a control that allocates once a step on purpose (`control steps=… mallocs=…`), so
/// a hook that counts nothing cannot pass for zero allocations.
@main enum AllocationProbe {
  static let n = 5
  static let warmUp = 10
  static let steps = 1000

  /// Where the control's arrays go, so the optimiser cannot remove them.
  nonisolated(unsafe) static var sink: [Int] = []

  static func main() {
    var lines: [String] = []
    for entry in ArchitectureRegistry.entries {
      for kind in OptimizerKind.allCases {
        let trainer = Trainer(
          architecture: entry.make(ArchitectureConfig(n: n)), problem: Problem(n: n, seed: 1),
          batch: 20, optimizer: kind.make(eta: 0.001), initScheme: .randn, seed: 5)
        for _ in 0..<warmUp { trainer.step() }
        let (taken, counted) = measured { trainer.step() }
        lines.append(
          "case \(entry.name) \(kind.rawValue) steps=\(taken) mallocs=\(counted.mallocCount) "
            + "bytes=\(counted.mallocBytesCount)")
      }
    }
    let (taken, counted) = measured {
      sink = Array(repeating: sink.count, count: 4)
      return true
    }
    lines.append("control steps=\(taken) mallocs=\(counted.mallocCount)")
    print(lines.joined(separator: "\n"))
  }

  /// Runs `step` `steps` times (stopping at its first false) with the counters on; the steps
  /// that returned true and what was counted.
  static func measured(_ step: () -> Bool) -> (Int, MallocInterposerSwift.Statistics) {
    MallocInterposerSwift.initialize()
    MallocInterposerSwift.hook()
    var taken = 0
    while taken < steps, step() { taken += 1 }
    MallocInterposerSwift.unhook()
    return (taken, MallocInterposerSwift.getStatistics())
  }
}
