import SPNumerics

/// The session's target or n changed at session step `step` (`SessionEvent.setProblem`): a
/// marker on every model of that moment, labelled with what changed (`target skew`, `n 8`).
public struct ProblemChange: Sendable, Hashable, Codable {
  public var step: Int
  /// The new target; nil when it stayed.
  public var target: TargetKind?
  /// The new n; nil when it stayed.
  public var n: Int?

  public init(step: Int, target: TargetKind?, n: Int?) {
    self.step = step
    self.target = target
    self.n = n
  }

  /// The change from `session`'s target and n to `target` and `n`, only what differs.
  public init(step: Int, from session: SessionSettings, target: TargetKind, n: Int) {
    self.init(
      step: step, target: target == session.target ? nil : target, n: n == session.n ? nil : n)
  }

  /// For markers and notices: `target skew`, `n 8`, `target skew, n 8`.
  public var description: String {
    [target.map { "target \($0.rawValue)" }, n.map { "n \($0)" }].compactMap { $0 }
      .joined(separator: ", ")
  }

  /// As the log's export spells it: `target=skew n=8` (both, whatever changed).
  public static func keyValue(target: TargetKind, n: Int) -> String {
    "target=\(target.rawValue) n=\(n)"
  }

  /// Why a session of `session`'s settings cannot change to `target` and `n` with its models
  /// trained as `models` (architectures `architectures`) — nothing changes, or a value the
  /// flags would refuse (the message names the setting: "target skew: needs n ≥ 2 …",
  /// "n: must be a positive integer, got 0"), the lineup's memory included — or nil when it can.
  public static func refusal(
    target: TargetKind, n: Int, models: [ModelSettings], architectures: [String],
    session: SessionSettings, memoryLimit: UInt64 = SessionSettings.defaultMemoryLimit
  ) -> String? {
    if target == session.target && n == session.n {
      return "target and n: unchanged (target \(target.rawValue), n \(n)); change either to "
        + "restart every model"
    }
    var changed = session
    changed.target = target
    changed.n = n
    return ModelSetting.refusal(
      models, architectures: architectures, session: changed, memoryLimit: memoryLimit)
  }
}

/// The session's problem changed while it runs, on the training queue.
extension SessionWorker {
  /// Why the live session refuses to change its target and n to `target` and `n` (the flags'
  /// checks, memory included, and no change at the end of the run), or nil.
  func problemRefusal(target: TargetKind, n: Int) -> String? {
    if reachedEnd { return "the run is done: restarted models would never train" }
    return ProblemChange.refusal(
      target: target, n: n, models: slots.map(\.settings),
      architectures: lineup.entries.map(\.architecture), session: settings)
  }

  /// Makes `target` and `n` the session's: a new problem from the session's seed, and every
  /// model restarted with fresh parameters from a seed drawn from its own stream (its η, its
  /// settings: a model of explicit width keeps it, the others follow n), each with a marker.
  /// False, changing nothing, when nothing would change or training could not go on (the
  /// interpreter checks what training needs, not the memory limit).
  func changeProblem(target: TargetKind, n: Int) -> Bool {
    guard
      ProblemChange.refusal(
        target: target, n: n, models: slots.map(\.settings),
        architectures: lineup.entries.map(\.architecture), session: settings, memoryLimit: .max)
        == nil
    else { return false }
    let change = ProblemChange(step: step, from: settings, target: target, n: n)
    settings.target = target
    settings.n = n
    problem = Problem(n: n, seed: settings.seed, target: target)
    for i in slots.indices {
      let old = slots[i].trainer
      let trainer = makeTrainer(
        lineup.entries[i], seed: old.drawSeed(), settings: slots[i].settings)
      trainer.optimizer.eta = old.optimizer.eta
      slots[i].restart(with: trainer, step: step)
      slots[i].problemChanges.append(change)
    }
    // The rollout was of the old problem (and is only drawn for the skew target).
    rollout = nil
    lastRolloutTime = -.infinity
    return true
  }

  /// The problem the session started with (the one a log's header records): the current one
  /// unless the target or n changed since.
  var initialProblem: Problem {
    let s = initialSettings
    return s.n == problem.n && s.target == problem.targetKind
      ? problem : Problem(n: s.n, seed: s.seed, target: s.target)
  }
}
