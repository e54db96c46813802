import Foundation
import SPNumerics

/// A session forked from a recorded one: the parent log, the step it branches at, and the
/// training settings the fork changes from there. The fork starts in the exact state the parent
/// had after that step and its events (parameters, optimiser state, random streams, settings,
/// lineup) — the session is re-run from its header and events, as `verify` does — and the
/// changes take effect as the session's own events at that step, so a fork with no change
/// continues the parent bit for bit.
public struct SessionFork: Sendable {
  /// The parent log, read and checked.
  public let parent: SessionLogContents
  /// The session step the fork branches at (0 … the parent's last step).
  public let step: Int
  /// What the fork's log header says of its parent.
  public let origin: SessionLog.Parent
  /// The fork's settings: the parent's, with `iterations` counted from the parent's start.
  public let settings: SessionSettings
  /// The training settings the fork changes at `step` (nil: the parent's, model by model).
  public let overrides: Overrides

  /// Training settings a fork changes; nil keeps the parent's.
  public struct Overrides: Sendable, Hashable {
    public var eta: Double?
    public var optimizer: OptimizerKind?
    public var batch: Int?
    public var penaltyWeight: Double?
    public var width: Int?
    public var initScheme: InitScheme?
    /// The session's target and n (a change restarts every model: `SessionEvent.setProblem`).
    public var target: TargetKind?
    public var n: Int?

    public init(
      eta: Double? = nil, optimizer: OptimizerKind? = nil, batch: Int? = nil,
      penaltyWeight: Double? = nil, width: Int? = nil, initScheme: InitScheme? = nil,
      target: TargetKind? = nil, n: Int? = nil
    ) {
      self.target = target
      self.n = n
      self.eta = eta
      self.optimizer = optimizer
      self.batch = batch
      self.penaltyWeight = penaltyWeight
      self.width = width
      self.initScheme = initScheme
    }
  }

  /// Why a fork cannot start: one line naming the log, the step or the setting.
  public struct Failure: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
  }

  /// A fork of `parent` at `step`. `iterations` (nil: the parent's) counts session steps from
  /// the parent's start and must lie past `step` unless it is 0 (until stopped); the fork's
  /// header names the parent by `parentPath` made absolute (against the working folder) and
  /// standardised, so `verify` finds it from anywhere.
  public init(
    parent: SessionLogContents, parentPath: String, at step: Int, iterations: Int? = nil,
    overrides: Overrides = Overrides()
  ) throws(Failure) {
    let last = parent.lastStep
    guard (0...last).contains(step) else {
      throw Failure(
        "--at: \(parent.path) records steps 0 to \(last); step \(step) is not among them")
    }
    var settings = parent.header.settings
    if let iterations {
      guard iterations == 0 || iterations > step else {
        throw Failure(
          "--iterations: counts steps from the parent's start, so it must exceed the fork's "
            + "step \(step) (or be 0, until stopped); got \(iterations)")
      }
      settings.iterations = iterations
    }
    self.parent = parent
    self.step = step
    self.settings = settings
    self.overrides = overrides
    let absolute =
      parentPath.hasPrefix("/")
      ? parentPath : FileManager.default.currentDirectoryPath + "/" + parentPath
    origin = SessionLog.Parent(
      path: (absolute as NSString).standardizingPath, sha256: parent.sha256, step: step)
  }

  /// The parent log `log`'s header names, read and checked to be the one the fork was made
  /// from: at the path it names, or failing that beside `log` under the same file name (logs
  /// moved together); its bytes must have the SHA-256 the header recorded.
  public static func readParent(
    of log: SessionLogContents,
    read: (String) throws -> SessionLogContents = { try LogReader.read(path: $0) }
  ) throws -> SessionLogContents? {
    guard let origin = log.header.parent else { return nil }
    var candidates = [origin.path]
    let name = (origin.path as NSString).lastPathComponent
    let folder = PathText.parent(of: log.path)
    let beside = folder.isEmpty ? name : folder == "/" ? "/" + name : folder + "/" + name
    if beside != origin.path { candidates.append(beside) }
    guard
      let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) })
    else {
      throw Failure(
        "\(log.path): the parent log \(origin.path) (forked at step \(origin.step)) is missing"
          + (candidates.count > 1 ? "; not beside the fork either (\(candidates[1]))" : ""))
    }
    let parent = try read(path)
    guard parent.sha256 == origin.sha256 else {
      throw Failure(
        "\(log.path): the parent log \(path) changed since the fork: its SHA-256 is "
          + "\(parent.sha256), the fork recorded \(origin.sha256)")
    }
    return parent
  }

  /// Why a fork did not start: `stopped` said so while the parent re-ran.
  public struct Stopped: Error {}

  /// The parent's session re-run to the fork's step, with the fork's settings; `progress`
  /// gets (step, fork step) as it goes; nil once `stopped` (asked between chunks) says true.
  /// An ensemble's log gives the ensemble of its seeds, trained on `threads` threads as it was
  /// live (lanes, every seed's events), its bands from the start.
  func rebuild(
    threads: Int = 1, progress: ((_ step: Int, _ last: Int) -> Void)? = nil,
    stopped: () -> Bool = { false }
  ) -> (any SessionEngine)? {
    let worker: any SessionEngine
    let chunk: Int
    if let seeds = parent.header.seeds {
      worker = EnsembleWorker(settings: settings, seeds: seeds, threads: threads)
      // Chunks short enough for the bands to keep their shape (a point a chunk, about as many
      // as a chart's history holds), long enough for the lanes to pay.
      chunk = max(8, step / 1024)
    } else {
      worker = SessionWorker(settings: settings)
      chunk = LogVerifier.progressSteps
    }
    guard
      LogVerifier.replay(
        parent, into: worker, upTo: step, chunk: chunk, progress: progress, stopped: stopped)
    else { return nil }
    worker.forkedFrom = origin
    return worker
  }

  /// The fork's own events at its step: a new target or n first (every model restarts), then
  /// the overrides, model by model, where they differ from what the model has now (η by
  /// `setEta`, the rest by `configure`).
  static func events(_ o: Overrides, slots: [ModelSlot], session: SessionSettings)
    -> [SessionEvent]
  {
    var out: [SessionEvent] = []
    let target = o.target ?? session.target
    let n = o.n ?? session.n
    if target != session.target || n != session.n {
      out.append(.setProblem(target: target, n: n))
    }
    for (i, slot) in slots.enumerated() {
      let s = slot.settings
      if let v = o.optimizer, v != s.optimizer {
        out.append(.configure(model: i, setting: .optimizer(v)))
      }
      if let v = o.batch, v != s.batch { out.append(.configure(model: i, setting: .batch(v))) }
      if let v = o.penaltyWeight, v.bitPattern != s.penaltyWeight.bitPattern {
        out.append(.configure(model: i, setting: .penaltyWeight(v)))
      }
      if let v = o.width, v != (s.width ?? n) {
        out.append(.configure(model: i, setting: .width(v)))
      }
      if let v = o.initScheme, v != s.initScheme {
        out.append(.configure(model: i, setting: .initScheme(v)))
      }
      // η last: a re-initialised model keeps its η, and a new optimiser takes the model's.
      if let v = o.eta, v.bitPattern != slot.trainer.optimizer.eta.bitPattern {
        out.append(.setEta(model: i, eta: v))
      }
    }
    return out
  }

  /// Why the overrides cannot apply to the parent's models at the fork's step (checked as the
  /// flags are, the lineup's memory included), or nil.
  func refusal(_ engine: any SessionEngine) -> String? {
    let worker = engine.lead
    if let eta = overrides.eta, !(eta.isFinite && eta > 0) {
      return "--eta: must be a positive finite number, got \(eta)"
    }
    var session = worker.settings
    let target = overrides.target ?? session.target
    let n = overrides.n ?? session.n
    if target != session.target || n != session.n {
      if let why = ProblemChange.refusal(
        target: target, n: n, models: worker.slots.map(\.settings),
        architectures: worker.lineup.entries.map(\.architecture), session: session)
      {
        return why
      }
      session.target = target
      session.n = n
    }
    let settings = worker.slots.map { slot in
      var s = slot.settings
      if let v = overrides.optimizer { s.optimizer = v }
      if let v = overrides.batch { s.batch = v }
      if let v = overrides.penaltyWeight { s.penaltyWeight = v }
      if let v = overrides.width { s.width = v }
      if let v = overrides.initScheme { s.initScheme = v }
      return s
    }
    return ModelSetting.refusal(
      settings, architectures: worker.lineup.entries.map(\.architecture), session: session)
  }
}

extension SessionLog {
  /// The parent of a forked session, in its log's header: the parent log as the fork named it,
  /// the SHA-256 of its bytes, and the session step the fork branched at.
  public struct Parent: Codable, Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var step: Int

    public init(path: String, sha256: String, step: Int) {
      self.path = path
      self.sha256 = sha256
      self.step = step
    }
  }
}
