import SPNumerics

/// Data for the dashboard's waterfall and rollout views, on the training queue.
extension SessionWorker {
  /// Rows kept per model; when full, every other row is dropped so the whole run stays shown.
  static let waterfallCapacity = 240

  /// Adds the current homogeneity curve of every model, once per session step (only the
  /// latest kept when `keepsWaterfall` is false).
  func sampleWaterfalls() {
    for i in slots.indices {
      if let last = slots[i].waterfall.last, last.step == step { continue }
      slots[i].waterfall.append(WaterfallRow(step: step, values: slots[i].structure.homogeneity))
      if !keepsWaterfall, slots[i].waterfall.count > 1 {
        slots[i].waterfall.removeFirst(slots[i].waterfall.count - 1)
      }
      if slots[i].waterfall.count > Self.waterfallCapacity {
        slots[i].waterfall = slots[i].waterfall.enumerated().filter { $0.offset % 2 == 1 }
          .map(\.element)
      }
    }
  }

  /// Time step and length of the energy rollout.
  static let rolloutDt = 0.02
  static let rolloutSteps = 500

  /// Recomputes ‖x(t)‖² along dx/dt = N(x) from xvalid for the reference and every model, for
  /// the skew target, taking at most about 5% of the time.
  func refreshRollout(force: Bool) {
    guard settings.target == .skew, rolloutEnabled else { return }
    let now = monotonicSeconds()
    guard force || now - lastRolloutTime >= max(1, 20 * rolloutCost) else { return }
    let x0 = problem.xvalid
    let p = problem
    let reference = Rollout.energy(
      { p.target($0) }, from: x0, dt: Self.rolloutDt, steps: Self.rolloutSteps)
    let models = slots.map { slot in
      let t = slot.trainer
      return Rollout.energy(
        { t.evaluate($0) }, from: x0, dt: Self.rolloutDt, steps: Self.rolloutSteps)
    }
    rollout = RolloutCurves(
      times: (0...Self.rolloutSteps).map { Double($0) * Self.rolloutDt }, reference: reference,
      models: models)
    let after = monotonicSeconds()
    rolloutCost = after - now
    lastRolloutTime = after
  }
}
