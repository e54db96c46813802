import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

/// Model settings changed while a session runs: what goes on, what starts again, what is
/// refused, and that `verify` reproduces a log of such changes bit for bit.
@Suite struct SettingChangeTests {
  @Test func batchPenaltyAndOptimizerGoOnFromTheModelsParameters() {
    let w = SessionWorker(settings: SessionSettings(iterations: 0))
    w.runChunk(100)
    let before = w.slots.map(\.trainer.parameters)
    let iterations = w.slots.map(\.trainer.iteration)
    #expect(w.apply(SessionEvent.configure(model: 1, setting: .penaltyWeight(0.25))))
    #expect(w.apply(SessionEvent.configure(model: nil, setting: .batch(40))))
    #expect(w.apply(SessionEvent.configure(model: 0, setting: .optimizer(.adam))))
    #expect(w.slots.map(\.trainer.parameters) == before)
    #expect(w.slots.map(\.trainer.iteration) == iterations)
    #expect(w.slots.allSatisfy { $0.trainer.batch == 40 && $0.resets.isEmpty })
    #expect(
      w.slots[0].trainer.optimizer.name == "adam" && w.slots[1].settings.penaltyWeight == 0.25)
    #expect(w.slots[1].settingChanges.map(\.setting) == [.penaltyWeight(0.25), .batch(40)])
    w.runChunk(50)
    #expect(w.slots.allSatisfy { $0.trainer.iteration == 150 })
  }

  @Test func widthAndInitStartTheModelAgainWithAMarker() {
    let w = SessionWorker(settings: SessionSettings(models: ["vanilla", "linear"], iterations: 0))
    w.runChunk(100)
    #expect(w.apply(SessionEvent.configure(model: 0, setting: .width(12))))
    #expect(w.slots[0].trainer.iteration == 0 && w.slots[0].resets == [100])
    #expect(w.slots[0].trainer.architecture.layout.count == 12 * 5 + 12 + 12 * 12 + 12 + 5 * 12 + 5)
    #expect(w.apply(SessionEvent.configure(model: 1, setting: .initScheme(.scaled))))
    #expect(w.slots[1].resets == [100] && w.slots[1].settings.initScheme == .scaled)
  }

  @Test func theLiveSessionRefusesWhatTheFlagsRefuseAndSaysWhy() {
    let w = SessionWorker(settings: SessionSettings(iterations: 0))
    w.apply(SessionCommand.configure(model: 0, setting: .batch(0)))
    #expect(w.slots[0].settings.batch == 20)
    #expect(w.commandMessage?.contains("batch") == true, "\(w.commandMessage ?? "nil")")
    w.apply(SessionCommand.configure(model: nil, setting: .penaltyWeight(-1)))
    #expect(w.commandMessage?.contains("penalty") == true, "\(w.commandMessage ?? "nil")")
    w.apply(SessionCommand.configure(model: nil, setting: .width(1 << 40)))
    #expect(w.slots.allSatisfy { $0.settings.width == nil }, "memory: \(w.commandMessage ?? "")")
    w.apply(SessionCommand.configure(model: 2, setting: .batch(8)))
    #expect(w.commandMessage == nil && w.slots[2].trainer.batch == 8)
  }

  @Test func aLogWithSettingChangesVerifiesBitForBit() throws {
    let folder = try TemporaryFolder("settings")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    let w = SessionWorker(settings: SessionSettings(iterations: 400))
    w.startRecording(try LogFile.create(path: path, force: false), logEvery: 5, evalEvery: 50)
    let plan: [Int: [SessionEvent]] = [
      50: [.configure(model: nil, setting: .batch(7))],
      100: [
        .configure(model: 0, setting: .optimizer(.adam)),
        .configure(model: 1, setting: .penaltyWeight(0.5)),
      ],
      150: [
        .configure(model: 2, setting: .width(9)), .configure(model: 0, setting: .initScheme(.he)),
      ],
      250: [.configure(model: 1, setting: .optimizer(.momentum))],
    ]
    while w.step < 400 {
      for e in plan[w.step] ?? [] { #expect(w.apply(e)) }
      w.runChunk(50)
    }
    w.stopRecording(reason: "done", signal: nil)
    let log = try LogReader.read(path: path)
    #expect(log.events.contains { $0.record.event == "configure" })
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference.map(String.init(describing:)) ?? "")")
    #expect(report.endChecked && report.metricsChecked == log.metrics.count)
    let events = LogExport.eventsCSV(log)
    #expect(events.contains(",configure,,,batch=7\n"))
    #expect(events.contains(",configure,penalized,1,penalty_weight=0.5\n"))
    #expect(events.contains(",configure,vanilla,0,init=he\n"))
    // A changed value in the log is found.
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let forged = text.replacingOccurrences(of: #"{"batch":7}"#, with: #"{"batch":8}"#)
    #expect(forged != text)
    let bad = try LogReader.parse(Data(forged.utf8), path: "x.jsonl")
    #expect(LogVerifier.verify(bad).difference != nil)
    // Replay shows each change as a labelled marker of the models it concerns.
    let playback = LogPlayback(log)
    var cursor = LogPlayback.Cursor(playback)
    let end = cursor.snapshot(at: playback.duration, playing: false)
    #expect(
      end.models[0].settingChanges.map(\.setting.description) == [
        "batch 7", "optimizer adam", "init he",
      ])
    #expect(end.models[0].resets == [150])
  }
}
