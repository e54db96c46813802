import SPNumerics

extension SessionWorker {
  /// For an ensemble's sessions (`members`, one per seed, the same lineup): trains the next `k`
  /// steps of every model the lane engine takes, the seeds of each model together
  /// (`LaneTraining`: eight seeds a SIMD lane group, the groups over `threads` threads), and
  /// returns, for each member, those models' steps by slot, to hand to its `runChunk`, which
  /// trains the other models itself. Each seed's numbers are those of its session alone.
  static func laneSteps(_ k: Int, members: [SessionWorker], threads: Int) -> [[Int: LaneSteps]] {
    var out = [[Int: LaneSteps]](repeating: [:], count: members.count)
    guard members.count > 1, k > 0, let first = members.first else { return out }
    for i in first.slots.indices {
      let id = first.slots[i].id
      guard members.allSatisfy({ i < $0.slots.count && $0.slots[i].id == id }) else { continue }
      let steps = LaneTraining.train(
        members.map { $0.slots[i].trainer }, steps: k, threads: threads)
      for (j, s) in steps.enumerated() {
        if let s { out[j][i] = s }
      }
    }
    return out
  }
}
