import Foundation
import SPNumerics
import SPTestSupport
import Testing

@testable import SPEngine

/// The session's target and n changed while it runs: every model starts again on the new
/// problem, the live session refuses what the flags refuse, and `verify`, `replay` and `export`
/// follow a log of such changes, recorded from the start or after them.
@Suite struct ProblemChangeTests {
  /// Parameters of `name` at n and width.
  static func parameterCount(_ name: String, n: Int, width: Int) -> Int {
    ArchitectureRegistry.make(
      name, config: ArchitectureConfig(n: n, width: width, penaltyWeight: 1))!
      .layout.count
  }

  @Test func everyModelRestartsOnTheNewProblemWithTheNewN() {
    let w = SessionWorker(settings: SessionSettings(iterations: 0))
    #expect(w.apply(SessionEvent.configure(model: 0, setting: .width(9))))
    #expect(w.apply(SessionEvent.setEta(model: 2, eta: 0.004)))
    w.runChunk(100)
    #expect(w.apply(SessionEvent.setProblem(target: .skew, n: 8)))
    #expect(w.settings.n == 8 && w.settings.target == .skew && w.initialSettings.n == 5)
    #expect(w.problem == Problem(n: 8, seed: 1, target: .skew))
    // The explicit width stays; the others follow n.
    #expect(
      w.slots.map(\.trainer.architecture.layout.count) == [
        Self.parameterCount("vanilla", n: 8, width: 9),
        Self.parameterCount("penalized", n: 8, width: 8),
        Self.parameterCount("linear", n: 8, width: 8),
      ])
    #expect(w.slots.allSatisfy { $0.trainer.iteration == 0 && $0.resets.last == 100 })
    #expect(w.slots.map(\.trainer.optimizer.eta) == [0.001, 0.001, 0.004])
    #expect(w.slots.allSatisfy { $0.problemChanges.map(\.description) == ["target skew, n 8"] })
    let s = w.snapshot(forceStructure: true)
    #expect(s.settings.n == 8 && s.models.allSatisfy { $0.problemChanges.count == 1 })
    #expect(s.models[2].parameterCount == Self.parameterCount("linear", n: 8, width: 8))
    // The rollout of the skew target follows; the structure is of the new models.
    #expect(s.rollout?.models.count == 3)
    #expect(s.models.allSatisfy { $0.structure.homogeneity.count == s.lambdas.count })
    w.runChunk(50)
    #expect(w.slots.allSatisfy { $0.trainer.iteration == 50 && $0.trainer.lastLoss.isFinite })
    // Only what changed labels the marker; the rollout goes with the skew target.
    #expect(w.apply(SessionEvent.setProblem(target: .general, n: 8)))
    #expect(w.slots[0].problemChanges.last?.description == "target general")
    #expect(w.snapshot(forceStructure: true).rollout == nil)
    #expect(w.apply(SessionEvent.setProblem(target: .general, n: 6)))
    #expect(w.slots[0].problemChanges.last?.description == "n 6")
  }

  @Test func theLiveSessionRefusesWhatTheFlagsRefuseAndSaysWhy() {
    let w = SessionWorker(settings: SessionSettings(iterations: 200))
    func refused(_ target: TargetKind, _ n: Int, _ words: String) {
      let (settings, events) = (w.settings, w.events.count)
      w.apply(SessionCommand.setProblem(target: target, n: n))
      #expect(w.settings == settings && w.events.count == events)
      #expect(w.commandMessage?.contains(words) == true, "\(w.commandMessage ?? "nil")")
    }
    refused(.skew, 1, "target skew: needs n ≥ 2")
    refused(.general, 0, "n: must be a positive integer, got 0")
    refused(.general, 5, "unchanged")
    refused(.general, 1 << 20, "needs about")
    // The interpreter refuses what training cannot do (not the memory limit).
    #expect(!w.apply(SessionEvent.setProblem(target: .mass, n: 1)))
    #expect(!w.apply(SessionEvent.setProblem(target: .general, n: 5)))
    w.apply(SessionCommand.setProblem(target: .mass, n: 4))
    #expect(w.commandMessage == nil && w.settings.n == 4 && w.settings.target == .mass)
    w.runChunk(200)
    refused(.mass, 6, "the run is done")
  }

  /// A session of 600 steps that changes its problem at 150 and 400, and a model setting in
  /// between, recorded from step `recordFrom`.
  static func changingSession(recordFrom: Int, path: String) throws -> SessionWorker {
    let w = SessionWorker(
      settings: SessionSettings(models: ["vanilla", "linear"], iterations: 600))
    let plan: [Int: [SessionEvent]] = [
      150: [.setProblem(target: .skew, n: 7)],
      250: [.configure(model: 1, setting: .width(4)), .setEta(model: 0, eta: 0.002)],
      400: [.setProblem(target: .skew, n: 4)],
    ]
    while w.step < 600 {
      if w.step == recordFrom {
        w.startRecording(try LogFile.create(path: path, force: false), logEvery: 5, evalEvery: 50)
      }
      for e in plan[w.step] ?? [] { #expect(w.apply(e)) }
      w.runChunk(50)
    }
    w.stopRecording(reason: "done", signal: nil)
    return w
  }

  @Test(arguments: [0, 300]) func aLogWithProblemChangesVerifiesBitForBit(recordFrom: Int) throws {
    let folder = try TemporaryFolder("problem")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    let w = try Self.changingSession(recordFrom: recordFrom, path: path)
    let log = try LogReader.read(path: path)
    // The header is the session's start: its settings and problem; later ones are events.
    #expect(log.header.settings.n == 5 && log.header.settings.target == .general)
    #expect(log.header.A.count == 5 && log.header.start_step == recordFrom)
    let problems = (log.header.prior_events + log.events.map(\.record)).filter {
      $0.event == "problem"
    }
    #expect(problems.map(\.step) == [150, 400])
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.endChecked && report.metricsChecked == log.metrics.count)
    // The end record's parameters are of n = 4 (vanilla at width n, linear of width 4).
    let end = try #require(log.end?.record)
    #expect(
      end.models.map { $0.parameters.values.map(\.flat.count).reduce(0, +) } == [
        Self.parameterCount("vanilla", n: 4, width: 4),
        Self.parameterCount("linear", n: 4, width: 4),
      ])
    // The summary `replay --summary` prints is of the problem at the end.
    let result = LogVerifier.result(log)
    #expect(result.settings.n == 4 && result.settings.target == "skew" && result.A.count == 4)
    #expect(result.A == (0..<4).map { Array(w.problem.A[($0 * 4)..<($0 * 4 + 4)]) })
    // A changed n in the log is found.
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let forged = text.replacingOccurrences(
      of: #"{"setProblem":{"n":4,"target":"skew"}}"#,
      with: #"{"setProblem":{"n":6,"target":"skew"}}"#)
    #expect(forged != text)
    let bad = try LogReader.parse(Data(forged.utf8), path: "x.jsonl")
    #expect(LogVerifier.verify(bad).difference != nil)
    // Replay: each change a labelled marker and a reset of every model; the header shows the
    // problem of the moment.
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let last = cursor.snapshot(at: playback.duration, playing: false)
    #expect(last.settings.n == 4 && last.settings.target == .skew)
    #expect(
      last.models.allSatisfy {
        $0.problemChanges.map(\.description) == ["target skew, n 7", "n 4"]
      })
    #expect(last.models.allSatisfy { $0.resets.contains(150) && $0.resets.contains(400) })
    // Export: one row per change, with the new target and n.
    let events = LogExport.eventsCSV(log).split(separator: "\n").map(String.init)
    #expect(events.contains { $0.hasPrefix("150,") && $0.hasSuffix(",problem,,,target=skew n=7") })
    #expect(events.contains { $0.hasPrefix("400,") && $0.hasSuffix(",problem,,,target=skew n=4") })
  }
}
