import Foundation
import PropertyBased
import SPDashboard
import SPTUI
import SPTestSupport
import Testing

@testable import SPEngine

/// Random and mutated session logs through `LogReader.parse`, and what the log commands do with
/// a log that parses (replay's snapshots and screen, the summary, export, verify): every log is
/// used or refused with one line naming the file and line; none traps, hangs or writes NaN.
@Suite(.timeLimit(.minutes(3))) struct LogPropertyTests {
  /// A real log to mutate: 240 steps, every kind of record and event, recorded in process.
  static let seedLog: [String] = {
    guard let folder = try? TemporaryFolder("hostile-log"),
      case let path = folder.file("seed.jsonl"),
      let session = try? TrainingSession(settings: SessionSettings(iterations: 240)),
      let file = try? LogFile.create(path: path, force: false)
    else { return [] }
    defer { withExtendedLifetime(folder) {} }
    session.send(.startRecording(file, logEvery: 24, evalEvery: 120))
    session.send(.pause)
    session.send(.step)
    session.send(.scaleEta(model: 0, factor: 2))
    session.send(.reset(model: 2))
    session.send(.focus(model: 1))
    session.send(.resume)
    session.start()
    _ = session.waitUntilFinished(timeout: 30)
    session.send(.stop)
    _ = session.waitUntilFinished(timeout: 10)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
  }()

  /// JSON values that have broken decoders: extremes, wrong types, deep nesting.
  static var jsonValues: [Any] {
    [
      0, -1, 1, Int.max, Int.min, 1e308, -1e308, Double.leastNonzeroMagnitude, 0.5, 1_000_000_000,
      "", "x", "header",
      "metric", "end", "vanilla", "linear", "sptop-log", true, false, NSNull(), [Any](),
      [String: Any](), [1, 2, 3], ["a": 1], Array(repeating: 1e308, count: 100),
      [[1.0, 2.0], [3.0]], 9_007_199_254_740_993, -0.0, 2, 3, 100, 239, 240, 241,
    ]
  }

  /// Raw text spliced into a line: broken JSON, NaN, huge numbers, control bytes.
  static let rawSplices = [
    "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "123456789012345678901234567890", "{", "}",
    "[", "]", ",", ":", "\"", "\\", "\u{0}", "\r", "\u{FEFF}", "\\ud800", "null", "\n",
    String(repeating: "[", count: 600), "\"type\":\"end\"", "\u{1B}[2J",
  ]

  /// A log built from `c`: the seed log with a few structural and raw edits, or random lines.
  static func log(_ c: inout Choices) -> Data {
    var lines = seedLog
    if c.int(6) == 0 {
      lines = (0..<c.int(6)).map { _ in randomLine(&c) }
      if c.int(2) == 0, let header = seedLog.first { lines.insert(header, at: 0) }
    }
    for _ in 0..<(1 + c.int(4)) {
      guard !lines.isEmpty else { break }
      let i = c.int(3) == 0 ? 0 : c.int(lines.count)
      switch c.int(8) {
      case 0, 1, 2:
        lines[i] = mutateJSON(lines[i], &c)
      case 3:
        var chars = Array(lines[i])
        let at = c.int(chars.count + 1)
        chars.insert(contentsOf: c.pick(rawSplices), at: at)
        lines[i] = String(chars)
      case 4:
        let chars = Array(lines[i])
        lines[i] = String(chars.prefix(c.int(chars.count + 1)))
      case 5: lines.remove(at: i)
      case 6: lines.insert(lines[i], at: c.int(lines.count + 1))
      default: lines.swapAt(i, c.int(lines.count))
      }
    }
    var text = lines.joined(separator: "\n")
    if c.int(4) != 0 { text += "\n" }
    return Data(text.utf8)
  }

  /// A random JSON line (not necessarily a record).
  static func randomLine(_ c: inout Choices) -> String {
    var object: [String: Any] = [:]
    let keys = [
      "type", "step", "model", "index", "iteration", "loss", "elapsed", "format", "version",
      "settings", "models", "event", "reason", "apriori_error", "homogeneity_error",
    ]
    for _ in 0..<c.int(8) { object[c.pick(keys)] = c.pick(jsonValues) }
    return serialize(object) ?? "{}"
  }

  /// `line` parsed as JSON, one value somewhere inside replaced (or removed), written back.
  static func mutateJSON(_ line: String, _ c: inout Choices) -> String {
    guard let data = line.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    else { return line }
    var paths: [[PathItem]] = []
    collect(object, [], into: &paths)
    guard !paths.isEmpty else { return line }
    let path = c.pick(paths)
    let replacement: Any? = c.int(5) == 0 ? nil : c.pick(jsonValues)
    let mutated = replace(object, path[...], with: replacement)
    return serialize(mutated) ?? line
  }

  enum PathItem {
    case key(String)
    case index(Int)
  }

  static func collect(_ value: Any, _ path: [PathItem], into paths: inout [[PathItem]]) {
    if !path.isEmpty { paths.append(path) }
    guard paths.count < 4000 else { return }
    if let d = value as? [String: Any] {
      for (k, v) in d.sorted(by: { $0.key < $1.key }) {
        collect(v, path + [.key(k)], into: &paths)
      }
    } else if let a = value as? [Any] {
      // Long arrays: a few positions suffice.
      for i in Set([0, 1, a.count / 2, a.count - 1]) where a.indices.contains(i) {
        collect(a[i], path + [.index(i)], into: &paths)
      }
    }
  }

  static func replace(_ value: Any, _ path: ArraySlice<PathItem>, with new: Any?) -> Any {
    guard let first = path.first else { return new ?? NSNull() }
    switch first {
    case .key(let k):
      guard var d = value as? [String: Any], let inner = d[k] else { return value }
      if path.count == 1 && new == nil {
        d[k] = nil
      } else {
        d[k] = replace(inner, path.dropFirst(), with: new)
      }
      return d
    case .index(let i):
      guard var a = value as? [Any], a.indices.contains(i) else { return value }
      if path.count == 1 && new == nil {
        a.remove(at: i)
      } else {
        a[i] = replace(a[i], path.dropFirst(), with: new)
      }
      return a
    }
  }

  static func serialize(_ value: Any) -> String? {
    guard JSONSerialization.isValidJSONObject(value) || !(value is [Any] || value is [String: Any]),
      let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
    else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// Whether `text` shows a NaN or an infinity as such (a word "nan", "inf", "-inf").
  static func showsNonFinite(_ text: String) -> Bool {
    text.split(whereSeparator: { !$0.isLetter && $0 != "-" }).contains {
      ["nan", "-nan", "inf", "-inf", "NaN", "Infinity"].contains(String($0))
    }
  }

  @Test func seedLogIsValid() throws {
    #expect(Self.seedLog.count > 20)
    let contents = try LogReader.parse(
      Data((Self.seedLog.joined(separator: "\n") + "\n").utf8), path: "seed.jsonl")
    #expect(contents.end != nil)
    #expect(LogVerifier.verify(contents).difference == nil)
  }

  @Test func logsParseOrFailInOneLine() async {
    try? #require(!Self.seedLog.isEmpty)
    await propertyCheck(count: 250, input: Gen.int(in: 0...1023).array(of: 0...48)) { values in
      var c = Choices(values)
      let data = Self.log(&c)
      let input = Hostile.show(String(decoding: data.prefix(400), as: UTF8.self))
      let started = Hostile.now()
      let contents: SessionLogContents
      do {
        contents = try LogReader.parse(data, path: "h.jsonl")
      } catch let error as LogError {
        #expect(Hostile.isOneLine(error.description), "\(Hostile.show(error.description))")
        #expect(error.description.hasPrefix("h.jsonl"), "\(error.description)")
        #expect(Hostile.now() - started < 30, "\(input)")
        return
      } catch {
        Issue.record("not a LogError: \(error) for \(input)")
        return
      }
      for w in contents.warnings { #expect(Hostile.isOneLine(w)) }
      // What replay, export, verify and the summary do with it: no trap, no NaN on screen or in
      // the figures, and bounded time (the log's steps are bounded by its settings).
      let playback = LogPlayback(contents)
      for t in [0, playback.duration / 2, playback.duration] {
        var buffer = Buffer(width: 120, height: 40)
        var state = DashboardState()
        state.replaySpeed = 1
        DashboardView(
          snapshot: playback.snapshot(at: t, playing: true, version: 1), state: state,
          glyphs: .unicode, keyMap: .replay
        ).render(in: buffer.area, into: &buffer)
        let screen = buffer.lines.joined(separator: "\n")
        #expect(!Self.showsNonFinite(screen), "replay at \(t) of \(input):\n\(screen)")
      }
      _ = LogExport.csv(contents)
      for figure in [LogExport.aprioriFigure(contents), LogExport.homogeneityFigure(contents)] {
        let svg = figure.render()
        #expect(!svg.lowercased().contains("nan") && !svg.contains("inf "), "\(input)")
      }
      let s = contents.header.settings
      if s.n <= 8, s.hiddenWidth <= 16, s.batch <= 64, contents.lastStep <= 2000 {
        _ = LogVerifier.verify(contents)
        _ = LogVerifier.result(contents)
      }
      #expect(Hostile.now() - started < 60, "took \(Hostile.now() - started) s: \(input)")
    }
  }

  /// Steps past the session's iterations are refused: verify and the summary re-run the session
  /// up to the last step named, so a log claiming step 10^16 would otherwise never finish.
  @Test func stepsPastTheIterationsAreRefused() throws {
    var lines = Self.seedLog
    let i = try #require(lines.firstIndex { $0.contains("\"type\":\"metric\"") })
    lines[i] = lines[i].replacingOccurrences(
      of: #""step":\d+"#, with: "\"step\":10000000000000000", options: .regularExpression)
    let data = Data((lines.joined(separator: "\n") + "\n").utf8)
    #expect(throws: LogError.self) { _ = try LogReader.parse(data, path: "s.jsonl") }
    do {
      _ = try LogReader.parse(data, path: "s.jsonl")
    } catch let error as LogError {
      #expect(
        error.description
          == "s.jsonl:\(i + 1): metric record: step 10000000000000000 is outside the session's "
          + "240 iterations")
    }
  }

  /// The λ values come from the log's header: replaying and exporting a log whose λ range is
  /// ±1e308 draws finite coordinates (the SVG once had "-nan" where x1 − x0 overflowed).
  @Test func aLambdaRangeOf1e308InALogDrawsFinitely() throws {
    var lines = Self.seedLog
    let lambdas = (0..<100).map { k -> Double in
      let t = Double(k) / 99
      return (1 - t) * -1e308 + t * 1e308
    }
    var header = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    var probe = try #require(header["probe"] as? [String: Any])
    probe["lambdas"] = lambdas
    header["probe"] = probe
    lines[0] = try #require(Self.serialize(header))
    let contents = try LogReader.parse(
      Data((lines.joined(separator: "\n") + "\n").utf8), path: "l.jsonl")
    #expect(contents.header.probe.lambdas.first == -1e308)
    let svg = LogExport.homogeneityFigure(contents).render()
    #expect(!svg.lowercased().contains("nan"), "\(svg.prefix(2000))")
    #expect(svg.contains("<path class=\"series\""))
    let playback = LogPlayback(contents)
    var buffer = Buffer(width: 150, height: 50)
    for view in [LowerView.charts, .waterfall] {
      var state = DashboardState()
      state.view = view
      DashboardView(
        snapshot: playback.snapshot(at: playback.duration, playing: false), state: state,
        glyphs: .unicode, keyMap: .replay
      ).render(in: buffer.area, into: &buffer)
      #expect(!Self.showsNonFinite(buffer.lines.joined(separator: "\n")))
    }
    // verify notices the header is not what the settings make.
    let report = LogVerifier.verify(contents)
    #expect(report.difference?.field == "probe.lambdas[0]")
  }

  /// SVG ticks stay few and finite for any finite range, including ranges below the rounding of
  /// their values (a range of 2 at 1e16 once looped for ever).
  @Test func svgTicksAreBoundedForAnyRange() async {
    let values = Hostile.doubles.filter(\.isFinite) + [1e16, 1e16 + 2, -1e16, 4.5e15, 1e300]
    await propertyCheck(
      count: 300, input: Gen.int(in: 0..<values.count), Gen.int(in: 0..<values.count)
    ) { i, j in
      let (a, b) = (min(values[i], values[j]), max(values[i], values[j]))
      let ticks = SVGPlot.niceTicks(a, b)
      #expect(ticks.count <= 24)
      #expect(ticks.allSatisfy { $0.isFinite })
      let plot = SVGPlot(
        title: "t", xLabel: "x", yLabel: "y",
        series: [.init(name: "s", color: "#000", points: [(a, 1), (b, 1e308), (a, .infinity)])],
        logY: i % 2 == 0)
      #expect(!plot.render().lowercased().contains("nan"), "\(a) \(b)")
    }
  }
}
