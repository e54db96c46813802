/// What the session's queue drives (`TrainingSession`): one session (`SessionWorker`) or one
/// lineup over many seeds (`EnsembleWorker`). Created for the queue and used only there.
protocol SessionEngine: AnyObject {
  var settings: SessionSettings { get }
  var step: Int { get }
  var stopped: Bool { get set }
  var isDone: Bool { get }
  var paused: Bool { get }
  /// Steps asked for with `s` while paused.
  var pendingSteps: Int { get set }
  var pace: Pace? { get set }
  /// Session steps per chunk (adapted by the queue to take `chunkSeconds`).
  var chunk: Int { get set }
  /// How long a full chunk should take: commands wait for the chunk under way, and a chunk's
  /// fixed costs (an ensemble's lanes loaded and unloaded, its bands) are paid once a chunk.
  var chunkSeconds: ClosedRange<Double> { get }
  var endReason: (reason: String, signal: Int32?)? { get set }

  func apply(_ command: SessionCommand)
  @discardableResult func apply(_ event: SessionEvent) -> Bool
  /// Largest chunk that does not step past the next evaluation record.
  func chunkLimit(_ k: Int) -> Int
  func runChunk(_ k: Int)
  func serviceRecorder(now: Double)
  func snapshot(forceStructure: Bool) -> SessionSnapshot
  func stopRecording(reason: String, signal: Int32?)
  func restartClocks()
  /// What `sptop run` reports at the end (nil for an ensemble: `Ensemble.run` serves it).
  func result(_ final: SessionSnapshot) -> RunResult?
  /// The session whose lineup, settings and events stand for the whole: the session itself,
  /// or an ensemble's first seed (every seed's are the same).
  var lead: SessionWorker { get }
  /// The parent log and step this session was forked from (nil: not a fork).
  var forkedFrom: SessionLog.Parent? { get set }
}

extension SessionWorker: SessionEngine {
  var chunkSeconds: ClosedRange<Double> { 0.0005...0.002 }
  func result(_ final: SessionSnapshot) -> RunResult? { RunResult(worker: self, snapshot: final) }
  var lead: SessionWorker { self }
}

extension SessionEngine {
  /// Ends the session for `.stop` (reason done or quit) and `.terminate` (reason signal); false,
  /// changing nothing, for any other command.
  func end(_ command: SessionCommand) -> Bool {
    switch command {
    case .stop: endReason = (isDone ? "done" : "quit", nil)
    case .terminate(let signal): endReason = ("signal", signal)
    default: return false
    }
    stopped = true
    return true
  }
}
