import Foundation
import SPTestSupport
import Testing

@testable import SPEngine

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Session logs: written by a session, read back, verified bit for bit, exported.
@Suite struct RecordingTests {
  /// A session with every kind of event in it, recorded from step 0 into `folder`; the log's
  /// path.
  static func recordedSession(in folder: TemporaryFolder) throws -> String {
    let path = folder.file("log.jsonl")
    let session = try TrainingSession(settings: SessionSettings(iterations: 0))
    session.send(
      .startRecording(try LogFile.create(path: path, force: false), logEvery: 7, evalEvery: 70))
    session.start()
    _ = SessionTests.waitFor(session, timeout: 20) { $0.step >= 300 }
    session.send(.pause)
    session.send(.step)
    session.send(.step)
    session.send(.scaleEta(model: 0, factor: 2))
    session.send(.reset(model: 2))
    session.send(.focus(model: 1))
    session.send(.setEta(model: 1, eta: 0.0007))
    session.send(.resume)
    let now = session.snapshot?.step ?? 0
    _ = SessionTests.waitFor(session, timeout: 20) { $0.step >= now + 500 }
    session.send(.stop)
    session.waitUntilFinished()
    return path
  }

  @Test func recordReadBackAndVerify() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try Self.recordedSession(in: folder)
    let log = try LogReader.read(path: path)
    #expect(log.header.settings == SessionSettings(iterations: 0))
    #expect(log.header.lineup.map(\.name) == ["vanilla", "penalized", "linear"])
    #expect(log.header.log_every == 7 && log.header.eval_every == 70)
    #expect(log.header.A.count == 5 && log.header.probe.lambdas.count == 100)
    let kinds = log.events.map(\.record.event)
    for k in ["record_start", "pause", "step", "eta", "reset", "focus", "resume", "end"] {
      #expect(kinds.contains(k), "event \(k) recorded")
    }
    #expect(kinds.filter { $0 == "step" }.count == 2)
    let eta = log.events.first { $0.record.event == "eta" && $0.record.model == 0 }!.record
    #expect(eta.eta == 0.002 && eta.iterations.count == 3)
    #expect(log.metrics.allSatisfy { $0.record.step % 7 == 0 })
    #expect(log.evals.allSatisfy { $0.record.step % 70 == 0 })
    let end = try #require(log.end?.record)
    #expect(end.reason == "quit")
    #expect(end.models[1].eta == 0.0007)
    #expect(log.warnings.isEmpty)
    let report = LogVerifier.verify(log)
    #expect(report.difference == nil, "\(report.difference!)")
    #expect(report.endChecked)
    #expect(report.metricsChecked == log.metrics.count)
    #expect(report.evalsChecked == log.evals.count)
    #expect(report.parametersChecked == 2 * 90 + 25)
  }

  @Test func verifyFindsAChangedNumber() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = try Self.recordedSession(in: folder)
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(
      String.init)
    // Change the last digit of one loss in the middle of the log.
    let metrics = lines.indices.filter {
      lines[$0].contains("\"type\":\"metric\"") && !lines[$0].contains("\"loss\":null")
    }
    try #require(metrics.count > 20)
    let index = metrics[20]
    let loss = lines[index].range(of: #""loss":[0-9.e+-]+"#, options: .regularExpression)!
    var number = String(lines[index][loss].dropFirst(7))
    let last = number.removeLast()
    number.append(last == "1" ? "2" : "1")
    lines[index].replaceSubrange(loss, with: "\"loss\":" + number)
    let changed = folder.file("changed.jsonl")
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: changed, atomically: true, encoding: .utf8)
    let report = LogVerifier.verify(try LogReader.read(path: changed))
    let d = try #require(report.difference)
    #expect(d.line == index + 1)
    #expect(d.record == "metric" && d.field == "loss")
    #expect(d.description.contains("line \(index + 1)"))
  }

  /// A changed number is named by its whole nested index: `A[1][0]`, not the flat `A[5]`
  /// (before, a change in `A[0][0]` was reported as `A[0]`); so are the end record's
  /// matrices, a ragged row, and a decoding error deep in a nested array.
  @Test func differencesNameTheWholeNestedIndex() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let recorded = try Self.recordedSession(in: folder)
    let text = try String(contentsOfFile: recorded, encoding: .utf8)
    let log = try LogReader.read(path: recorded)
    let n = log.header.settings.n
    func field(_ edit: (inout SessionLog.Header) -> Void) throws -> String? {
      var changed = log
      edit(&changed.header)
      return LogVerifier.verify(changed).difference?.field
    }
    #expect(try field { $0.A[0][0] += 1 } == "A[0][0]")
    #expect(try field { $0.A[1][0] += 1 } == "A[1][0]")
    #expect(try field { $0.A[n - 1][n - 1] = -$0.A[n - 1][n - 1] } == "A[\(n - 1)][\(n - 1)]")
    #expect(try field { $0.A[2].append(1) } == "A[2] length")
    #expect(try field { $0.A.removeLast() } == "A rows")
    // The end record's matrices and vectors.
    let end = try #require(log.end)
    var model = end.record.models[0]
    guard case .matrix(var b1) = model.parameters["B1"] else {
      Issue.record("B1 is not a matrix")
      return
    }
    b1[1][2] = (b1[1][2] ?? 0) + 1
    model.parameters["B1"] = .matrix(b1)
    var changed = log
    changed.end!.record.models[0] = model
    #expect(LogVerifier.verify(changed).difference?.field == "parameters.B1[1][2]")
    b1[1].removeLast()
    changed.end!.record.models[0].parameters["B1"] = .matrix(b1)
    #expect(LogVerifier.verify(changed).difference?.field.hasPrefix("parameters.B1[1]") == true)
    // A decoding error names the nested place too.
    let bad = text.replacingOccurrences(
      of: "\"A\":[[", with: "\"A\":[[\"x\",", options: [], range: nil)
    do {
      _ = try LogReader.parse(Data(bad.utf8), path: "LOG")
      Issue.record("a string in A was read")
    } catch {
      #expect("\(error)" == "LOG:1: header record: field 'A[0][0]' should be a number")
    }
  }

  @Test func headlessRunRecordsItsEnd() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 400), publishInterval: 0.05, stopsWhenDone: true)
    session.send(
      .startRecording(try LogFile.create(path: path, force: false), logEvery: 10, evalEvery: 100))
    session.start()
    session.waitUntilFinished()
    let log = try LogReader.read(path: path)
    #expect(log.end?.record.reason == "done")
    #expect(log.end?.record.step == 400)
    #expect(log.metrics.count == 3 * 41)
    #expect(LogVerifier.verify(log).difference == nil)
    // The summary recomputed from the log equals the run's own result.
    let summary = LogVerifier.result(log)
    let result = try #require(session.result)
    #expect(summary.models.map(\.final.apriori_error) == result.models.map(\.final.apriori_error))
    #expect(
      summary.models.map(\.final.homogeneity_error) == result.models.map(\.final.homogeneity_error))
  }

  @Test func badLogsNameTheLine() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let recorded = try Self.recordedSession(in: folder)
    let good = try String(contentsOfFile: recorded, encoding: .utf8)
    var lines = good.split(separator: "\n").map(String.init)
    func message(_ text: String) -> String {
      let path = folder.file("bad.jsonl")
      try? text.write(toFile: path, atomically: true, encoding: .utf8)
      do {
        _ = try LogReader.read(path: path)
        return "ok"
      } catch {
        return "\(error)".replacingOccurrences(of: path, with: "LOG")
      }
    }
    #expect(message("") == "LOG: empty log: no header")
    #expect(message("hello\n").hasPrefix("LOG:1: not JSON"))
    #expect(message(lines[1] + "\n") == "LOG:1: the first record must be the header, not 'event'")
    let v4 = lines[0].replacingOccurrences(of: "\"version\":3", with: "\"version\":4")
    #expect(
      message(v4 + "\n") == "LOG:1: unknown format version 4; this sptop reads versions 1 to 3")
    let wrongType = lines[2].replacingOccurrences(of: "\"step\":0", with: "\"step\":\"zero\"")
    #expect(
      message(([lines[0], lines[1], wrongType]).joined(separator: "\n") + "\n")
        == "LOG:3: metric record: field 'step' should be an integer")
    let m = lines.indices.filter {
      lines[$0].contains("\"model\":\"vanilla\"") && lines[$0].contains("metric")
    }
    let backwards = Array(lines[0...m[3]]) + [lines[m[1]]]
    #expect(
      message(backwards.joined(separator: "\n") + "\n").hasPrefix(
        "LOG:\(m[3] + 2): steps go backwards: model vanilla's metric at step "))
    // A line repeated is a repeat, not "step 0 after step 0".
    let repeated = Array(lines[0...m[0]]) + [lines[m[0]]]
    #expect(
      message(repeated.joined(separator: "\n") + "\n")
        == "LOG:\(m[0] + 2): metric record: model vanilla at step 0 appears twice, lines "
        + "\(m[0] + 1) and \(m[0] + 2)")
    let e = lines.indices.filter { lines[$0].contains("\"type\":\"eval\"") }
    let evalBack = Array(lines[0...e[3]]) + [lines[e[0]]]
    #expect(
      message(evalBack.joined(separator: "\n") + "\n").hasPrefix(
        "LOG:\(e[3] + 2): steps go backwards: model vanilla evaluated at step 0 after step "))
    #expect(
      message(lines[0] + "\n" + lines[0] + "\n")
        == "LOG:2: a second header (the first is line 1)")
    #expect(
      message(lines.joined(separator: "\n") + "\n" + lines[1] + "\n")
        == "LOG:\(lines.count + 1): an 'event' record after the end record (line \(lines.count))")
    let noType = #"{"kind":"metric"}"#
    #expect(
      message(lines[0] + "\n" + noType + "\n") == "LOG:2: a record needs a string field 'type'")
    // A cut last line (a killed run) is tolerated with a warning.
    let cut = lines.dropLast().joined(separator: "\n") + "\n" + lines.last!.prefix(40)
    let path = folder.file("cut.jsonl")
    try cut.write(toFile: path, atomically: true, encoding: .utf8)
    let log = try LogReader.read(path: path)
    #expect(log.end == nil)
    #expect(log.warnings.count == 1 && log.warnings[0].contains("cut off"))
    #expect(LogVerifier.verify(log).difference == nil)
    lines.removeAll()
  }

  @Test func unwritableRecordPaths() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let path = folder.file("log.jsonl")
    #expect(throws: LogFileError.self) {
      try LogFile.create(path: "/nonexistent-dir/x.jsonl", force: false)
    }
    do {
      _ = try LogFile.create(path: "/nonexistent-dir/x.jsonl", force: false)
    } catch {
      #expect(
        "\(error)"
          == "--record /nonexistent-dir/x.jsonl: the folder '/nonexistent-dir' does not exist")
    }
    let first = try LogFile.create(path: path, force: false)
    close(first.descriptor)
    do {
      _ = try LogFile.create(path: path, force: false)
      Issue.record("an existing file was overwritten")
    } catch {
      #expect("\(error)".contains("the file exists; add --force"))
    }
    let again = try LogFile.create(path: path, force: true)
    close(again.descriptor)
    let link = folder.file("link.jsonl")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
    for force in [false, true] {
      do {
        _ = try LogFile.create(path: link, force: force)
        Issue.record("a symbolic link was followed")
      } catch {
        #expect("\(error)".contains("symbolic link") || "\(error)".contains("exists"))
      }
    }
  }

  @Test func exportCSVAndSVG() throws {
    let folder = try TemporaryFolder("rec")
    defer { withExtendedLifetime(folder) {} }
    let recorded = try Self.recordedSession(in: folder)
    let log = try LogReader.read(path: recorded)
    let csv = LogExport.csv(log).split(separator: "\n")
    #expect(csv.count == log.metrics.count + 1)
    #expect(csv[0].hasPrefix("model,architecture,index,step,iteration"))
    #expect(csv[1].hasPrefix("vanilla,vanilla,0,0,0,"))
    for plot in [LogExport.aprioriFigure(log), LogExport.homogeneityFigure(log)] {
      let svg = plot.render()
      let parser = XMLParser(data: Data(svg.utf8))
      let counter = PathCounter()
      parser.delegate = counter
      #expect(parser.parse(), "the SVG is well-formed XML")
      #expect(counter.seriesPaths == 3, "one path per model")
      #expect(svg.contains("vanilla") && svg.contains("linear") && svg.contains("(log scale)"))
    }
  }
}

/// Counts `<path class="series">` elements.
final class PathCounter: NSObject, XMLParserDelegate {
  var seriesPaths = 0
  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if name == "path" && attributes["class"] == "series" { seriesPaths += 1 }
  }
}

/// Evaluation lines are written without JSONEncoder: each reads back as its record, bit for bit,
/// and holds what JSONEncoder would have written.
@Suite struct EvalLineTests {
  @Test func evalLinesReadBackAsTheirRecordsBitForBit() throws {
    let values: [Double?] = [
      0, -0.0, 1, 0.1, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123_456.789, nil,
      2.5e-16, 1e22,
    ]
    for seed: UInt64? in [nil, 42, .max] {
      var e = SessionLog.Eval(
        model: "odd \"#2\"\\", index: 3, step: 400, iteration: 399, additivity_error: values[3],
        homogeneity_error: values, homogeneity_error_max: nil, elapsed: 1.25)
      e.seed = seed
      let line = SessionLog.evalLine(e)
      #expect(!line.contains("\n"))
      let back = try JSONDecoder().decode(SessionLog.Eval.self, from: Data(line.utf8))
      #expect(back == e)
      #expect(
        back.homogeneity_error.map { $0?.bitPattern } == e.homogeneity_error.map { $0?.bitPattern })
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let theirs = try #require(
        try JSONSerialization.jsonObject(with: encoder.encode(e)) as? NSDictionary)
      let mine = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary)
      #expect(mine == theirs, "\(line)")
    }
  }
}
