import Foundation
import SPNumerics

/// Events and the session log, on the training queue.
extension SessionWorker {
  var elapsedNow: Double { monotonicSeconds() - startTime }

  /// Records an event at the current step, with every model's iteration.
  func note(_ event: SessionEvent) {
    let e = SessionLog.Event(
      event, step: step, iterations: slots.map(\.trainer.iteration), elapsed: elapsedNow)
    events.append(e)
    write(e)
  }

  /// Largest chunk that does not step past the next evaluation record.
  func chunkLimit(_ k: Int) -> Int {
    guard let r = recorder else { return k }
    let next = (step / r.evalEvery + 1) * r.evalEvery
    return max(1, min(k, next - step))
  }

  func write(_ record: some Encodable) { recorder?.append(record: record) }

  /// The header of a recording starting now: the settings and problem the session started
  /// with and every event since (`prior_events`), so that a reader re-runs it from step 0 —
  /// a target or n changed before the recording is one of those events.
  func header(startStep: Int, logEvery: Int, evalEvery: Int) -> SessionLog.Header {
    let settings = initialSettings
    let problem = initialProblem
    let n = settings.n
    return SessionLog.Header(
      format: SessionLog.format, version: SessionLog.version, sptop_version: sptopVersion,
      created: ISO8601DateFormatter().string(from: Date()), settings: settings,
      rng: SessionLog.RNG(name: Xoshiro256.algorithmName, seed: settings.seed),
      A: (0..<n).map { Array(problem.A[($0 * n)..<(($0 + 1) * n)]) }, xvalid: problem.xvalid,
      probe: SessionLog.ProbeInputs(
        additivity_x: problem.probe.additivityX, additivity_y: problem.probe.additivityY,
        homogeneity_x: problem.probe.homogeneityX, lambdas: problem.probe.lambdas),
      lineup: slots.map { slot in
        let t = slot.trainer
        return SessionLog.LineupEntry(
          name: slot.label, architecture: t.architecture.name, formula: t.architecture.formula,
          eta: settings.eta, optimizer: t.optimizer.name, index: slot.id)
      },
      log_every: logEvery, eval_every: evalEvery, start_step: startStep, prior_events: events,
      parent: forkedFrom)
  }

  func startRecording(_ file: LogFile, logEvery: Int, evalEvery: Int) {
    if recorder != nil { stopRecording(reason: "stopped", signal: nil) }
    let r = SessionRecorder(file: file, logEvery: logEvery, evalEvery: evalEvery)
    recorder = r
    recordingMessage = nil
    write(header(startStep: step, logEvery: r.logEvery, evalEvery: r.evalEvery))
    note(.recordStart)
    for i in slots.indices { recordMetric(i, step: step) }
    recordEvals()
    r.flush()
  }

  /// Ends the recording with an end record (reason done, quit, signal or stopped).
  func stopRecording(reason: String, signal: Int32?) {
    guard let r = recorder else { return }
    note(reason == "stopped" ? .recordStop : .end)
    write(endRecord(reason: reason, signal: signal))
    r.close()
    if let failure = r.failure { recordingMessage = failure }
    recorder = nil
  }

  func recordMetric(_ i: Int, step x: Int) {
    let t = slots[i].trainer
    recordMetric(
      i, step: x, iteration: t.iteration, loss: t.lastLoss, apriori: t.lastAprioriError)
  }

  /// Model `i`'s metric record at step `x` with the figures it had then.
  func recordMetric(_ i: Int, step x: Int, iteration: Int, loss: Double, apriori: Double) {
    recorder?.append(
      SessionLog.metricLine(
        model: slots[i].label, index: slots[i].id, step: x, iteration: iteration, loss: loss,
        apriori: apriori, elapsed: elapsedNow))
  }

  func recordEvals() {
    for i in slots.indices {
      let (e, s) = evalRecord(slots[i], elapsed: elapsedNow)
      slots[i].structure = s
      recorder?.append(SessionLog.evalLine(e))
    }
  }

  /// The evaluation record of `slot`'s model now (its structure measured on the probes).
  func evalRecord(_ slot: ModelSlot, elapsed: Double) -> (SessionLog.Eval, StructureMetrics) {
    let t = slot.trainer
    let s = t.structure()
    let e = SessionLog.Eval(
      model: slot.label, index: slot.id, step: step, iteration: t.iteration,
      additivity_error: finiteOrNil(s.additivity),
      homogeneity_error: s.homogeneity.map(finiteOrNil),
      homogeneity_error_max: finiteOrNil(s.maxHomogeneity), elapsed: elapsed)
    return (e, s)
  }

  func endRecord(reason: String, signal: Int32?) -> SessionLog.End {
    SessionLog.End(
      reason: reason, signal: signal, step: step, elapsed: elapsedNow,
      models: slots.map { slot in
        let t = slot.trainer
        let s = t.structure()
        let layout = t.architecture.layout
        var parameters: [String: SessionLog.Parameter] = [:]
        for (name, rows) in layout.named(t.parameters) {
          parameters[name] =
            layout.part(named: name)!.isVector
            ? .vector(rows[0].map(finiteOrNil)) : .matrix(rows.map { $0.map(finiteOrNil) })
        }
        return SessionLog.EndModel(
          name: slot.label, index: slot.id,
          status: t.diverged ? "diverged" : (isDone ? "done" : "training"),
          iteration: t.iteration, eta: t.optimizer.eta, loss: finiteOrNil(t.lastLoss),
          apriori_error: finiteOrNil(t.lastAprioriError),
          additivity_error: finiteOrNil(s.additivity),
          homogeneity_error: s.homogeneity.map(finiteOrNil), parameters: parameters,
          parameter_order: layout.parts.map(\.name))
      })
  }

  /// Checks the recorder after a chunk: writes when due, turns a write error into a message.
  func serviceRecorder(now: Double) {
    if let failure = recorder?.service(now: now) {
      recordingMessage = failure
      recorder = nil
    }
  }

  /// What the snapshot says about recording.
  var recordingStatus: RecordingStatus? {
    RecordingStatus(recorder: recorder, message: recordingMessage)
  }
}

/// The version written into logs and shown by `--version`.
public let sptopVersion = "0.2.0"

/// Whether a recording runs (its file and record count) or why the last one stopped.
public struct RecordingStatus: Sendable, Hashable {
  public var path: String?
  public var records: Int
  public var message: String?
  public var isRecording: Bool { path != nil }

  public init(path: String?, records: Int, message: String?) {
    self.path = path
    self.records = records
    self.message = message
  }

  /// The running recording's file and count, else the last one's failure; nil when neither.
  init?(recorder: SessionRecorder?, message: String?) {
    if let r = recorder {
      self.init(path: r.path, records: r.records, message: nil)
    } else if let message {
      self.init(path: nil, records: 0, message: message)
    } else {
      return nil
    }
  }
}
