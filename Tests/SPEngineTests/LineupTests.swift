import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

/// Models added, removed and replaced between chunks of steps: numbering and labels, what the
/// live session refuses, and that a log of such a session reads back, verifies bit for bit,
/// replays and exports with the lineup of each moment.
@Suite struct LineupTests {
  @Test func numbersAreNeverReusedAndLabelsTakeTheSmallestFreeSuffix() {
    var l = Lineup(architectures: ["vanilla", "vanilla", "linear"])
    #expect(l.entries.map(\.label) == ["vanilla", "vanilla#2", "linear"])
    #expect(l.entries.map(\.id) == [0, 1, 2])
    #expect(l.apply(.removeModel(model: 0)) != nil)
    #expect(
      l.apply(.addModel(architecture: "vanilla"))
        == .added(.init(id: 3, label: "vanilla", architecture: "vanilla")))
    #expect(l.apply(.addModel(architecture: "vanilla")) != nil)
    #expect(l.entries.map(\.label) == ["vanilla#2", "linear", "vanilla", "vanilla#3"])
    #expect(l.entries.map(\.id) == [1, 2, 3, 4])
    // A replaced model keeps its number and takes a label free among the others.
    #expect(
      l.apply(.replaceModel(model: 1, architecture: "vanilla"))
        == .replaced(
          position: 1, old: .init(id: 2, label: "linear", architecture: "linear"),
          new: .init(id: 2, label: "vanilla#4", architecture: "vanilla")))
    #expect(l.nextID == 5)
    // The same numbering as the settings' labels for an initial lineup.
    let settings = SessionSettings(models: ["linear", "odd", "linear", "linear"])
    #expect(settings.modelLabels == ["linear", "odd", "linear#2", "linear#3"])
  }

  @Test func refusalsSayWhy() {
    var l = Lineup(architectures: ["vanilla"])
    #expect(l.refusal(.removeModel(model: 0)) == "the last model cannot be removed")
    #expect(l.refusal(.removeModel(model: 3)) == "no model 3 (the lineup has 1)")
    #expect(
      l.refusal(.addModel(architecture: "resnet"))?.hasPrefix(
        "no architecture named 'resnet'; known: vanilla") == true)
    #expect(
      l.refusal(.replaceModel(model: 1, architecture: "linear")) == "no model 1 (the lineup has 1)")
    #expect(l.apply(.removeModel(model: 0)) == nil && l.count == 1)
    #expect(l.refusal(.pause) == nil && l.apply(.pause) == nil)
  }

  /// A model added before the first step is bit for bit the model a lineup that had it from the
  /// start trains: its parameters come from its number's random stream.
  @Test func aModelAddedAtStepZeroTrainsAsIfItHadBeenThereFromTheStart() {
    let grown = SessionWorker(settings: SessionSettings(models: ["vanilla"]))
    #expect(grown.apply(SessionEvent.addModel(architecture: "odd")))
    let fixed = SessionWorker(settings: SessionSettings(models: ["vanilla", "odd"]))
    grown.runChunk(300)
    fixed.runChunk(300)
    for i in 0..<2 {
      #expect(grown.slots[i].trainer.parameters == fixed.slots[i].trainer.parameters)
      #expect(grown.slots[i].label == fixed.slots[i].label)
    }
  }

  @Test func theLiveSessionsPoliciesAndTheFocusFollowTheLineup() {
    let w = SessionWorker(settings: SessionSettings(models: ["vanilla", "linear"], iterations: 50))
    w.apply(SessionCommand.focus(model: 1))
    w.apply(SessionCommand.removeModel(model: 1))
    #expect(w.slots.map(\.label) == ["vanilla"] && w.focus == 0)
    w.apply(SessionCommand.removeModel(model: 0))
    #expect(w.slots.count == 1, "the last model stays")
    w.apply(SessionCommand.addModel(architecture: "nonesuch"))
    #expect(w.slots.count == 1)
    w.runChunk(50)
    // At the end of the run nothing could train a new model: refused, as a reset is.
    w.apply(SessionCommand.addModel(architecture: "linear"))
    w.apply(SessionCommand.replaceModel(model: 0, architecture: "linear"))
    #expect(w.slots.map(\.label) == ["vanilla"])
    // The interpreter itself (verify's) applies what a log recorded.
    #expect(w.apply(SessionEvent.addModel(architecture: "linear")))
    #expect(w.slots.map(\.label) == ["vanilla", "linear"] && w.slots[1].id == 2)
  }

  /// Runs a session whose lineup changes between chunks, recording from `recordFrom`; returns
  /// the log's path and the worker.
  static func changingSession(recordFrom: Int, path: String) throws -> SessionWorker {
    let w = SessionWorker(
      settings: SessionSettings(models: ["vanilla", "linear"], iterations: 600))
    var plan: [Int: [SessionEvent]] = [
      100: [.addModel(architecture: "odd")],
      200: [.replaceModel(model: 0, architecture: "mass"), .setEta(model: 2, eta: 0.002)],
      300: [.removeModel(model: 1), .addModel(architecture: "odd")],
      400: [.reset(model: 1), .replaceModel(model: 2, architecture: "odd")],
    ]
    while w.step < 600 {
      if w.step == recordFrom {
        w.startRecording(
          try LogFile.create(path: path, force: false), logEvery: 5, evalEvery: 50)
      }
      for e in plan.removeValue(forKey: w.step) ?? [] { #expect(w.apply(e)) }
      w.runChunk(50)
    }
    w.stopRecording(reason: "done", signal: nil)
    return w
  }

  @Test(arguments: [0, 250])
  func aLogWithLineupChangesVerifiesReplaysAndExports(recordFrom: Int) throws {
    let folder = try TemporaryFolder("lineup")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    let w = try Self.changingSession(recordFrom: recordFrom, path: path)
    #expect(w.slots.map(\.label) == ["mass", "odd", "odd#2"])
    #expect(w.slots.map(\.id) == [0, 2, 3])
    let log = try LogReader.read(path: path)
    #expect(log.header.version == SessionLog.version)
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.endChecked && report.metricsChecked == log.metrics.count)
    #expect(Set(log.metrics.map(\.record.index)) == [0, 1, 2, 3])
    let final = w.slots.map(\.trainer.parameters)
    #expect(LogVerifier.reconstruct(log).slots.map(\.trainer.parameters) == final)

    // Replay shows each moment's lineup, with the switches as markers.
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let end = cursor.snapshot(at: playback.duration, playing: false)
    #expect(end.models.map(\.label) == ["mass", "odd", "odd#2"])
    #expect(end.models.map(\.id) == [0, 2, 3])
    #expect(end.models[0].switches == [ArchitectureSwitch(step: 200, from: "vanilla", to: "mass")])
    #expect(end.models[1].switches.isEmpty && end.models[1].resets == [400])
    #expect(end.models[2].switches == [ArchitectureSwitch(step: 400, from: "odd", to: "odd")])
    #expect(end.models[0].lossHistory.lastIteration == 600)
    if recordFrom == 0 {
      let early = cursor.snapshot(at: 0, playing: false)
      #expect(early.models.map(\.label) == ["vanilla", "linear"])
      #expect(cursor.modelCount == 2)
    }

    // Export: each row names its model's architecture of that moment.
    let rows = LogExport.csv(log).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    let model0 = rows.filter { $0[2] == "0" }
    #expect(model0.allSatisfy { ($0[1] == "vanilla") == (Int($0[3])! <= 200) })
    #expect(model0.contains { $0[1] == "mass" })
    // The events, each naming its model as the lineup stood before it.
    let events = LogExport.eventsCSV(log).split(separator: "\n").map(String.init)
    #expect(events.first == "step,elapsed_seconds,event,model,index,value")
    #expect(events.contains { $0.hasPrefix("100,") && $0.hasSuffix(",add_model,,,odd") })
    #expect(
      events.contains { $0.hasPrefix("200,") && $0.hasSuffix(",replace_model,vanilla,0,mass") })
    #expect(events.contains { $0.hasPrefix("300,") && $0.hasSuffix(",remove_model,linear,1,") })
    #expect(events.contains { $0.hasPrefix("200,") && $0.hasSuffix(",eta,odd,2,0.002") })
    let names = LogExport.aprioriFigure(log).series.map(\.name)
    #expect(names == ["mass", "linear", "odd", "odd#2"])
  }

  @Test func aLogWhoseLineupEventsDisagreeWithItsRecordsIsRefused() throws {
    let folder = try TemporaryFolder("lineup")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    _ = try Self.changingSession(recordFrom: 0, path: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // The added model claimed to be another architecture: its records no longer match.
    let swapped = text.replacingOccurrences(
      of: #"{"addModel":{"architecture":"odd"}}"#, with: #"{"addModel":{"architecture":"skew"}}"#)
    #expect(swapped != text)
    #expect(throws: LogError.self) { try LogReader.parse(Data(swapped.utf8), path: "x.jsonl") }
    // Removing the last model is no event a session can record.
    let lines = text.split(separator: "\n").map(String.init)
    let header = lines[0].replacingOccurrences(
      of: #""models":["vanilla","linear"]"#, with: #""models":["vanilla"]"#)
    #expect(throws: LogError.self) {
      try LogReader.parse(
        Data(([header] + lines.dropFirst()).joined(separator: "\n").utf8), path: "x.jsonl")
    }
  }
}
