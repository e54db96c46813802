import Foundation
import SPEngine
import SPNumerics
import SPTUI
import Testing

@testable import SPDashboard

/// What the dashboard shows is the truth: numbers whole or visibly cut, every model reachable
/// however many there are, and one state everywhere.
@Suite struct DashboardTruthTests {
  func render(
    _ snapshot: SessionSnapshot, _ width: Int, _ height: Int,
    state: DashboardState = DashboardState(), glyphs: Glyphs = .unicode
  ) -> Buffer {
    DashboardViewTests().render(width, height, state: state, snapshot: snapshot, glyphs: glyphs)
  }

  /// Three-digit exponents in the models table: shown whole with fewer digits.
  @Test(arguments: [(80, 24), (120, 40), (200, 60)])
  func hugeAndTinyValuesAreShownWhole(width: Int, height: Int) {
    var s = Fixtures.snapshot()
    s.models[0].eta = 1e-300
    s.models[0].loss = 9.34e248
    s.models[1].eta = 2.5e-5
    s.models[1].loss = -9.34e248
    s.models[2].aprioriError = .leastNonzeroMagnitude
    let lines = render(s, width, height).lines.joined(separator: "\n")
    #expect(lines.contains("1.0e-300"))
    #expect(lines.contains("9.3e+248"))
    #expect(lines.contains("-9e+248"))
    #expect(lines.contains("2.50e-05"))
    #expect(lines.contains("4.9e-324"))
    #expect(!lines.contains("1.00e-30 "), "a cut exponent reads as another number")
  }

  /// Every numeric cell of the models table, for values over the whole range of Double: the
  /// text in the cell parses back to the value to the digits shown, or ends in an ellipsis.
  @Test func everyModelsCellReadsBackOrIsVisiblyCut() throws {
    var rng = SystemRandomNumberGenerator()
    for width in [80, 100, 120, 160] {
      for _ in 0..<60 {
        var s = Fixtures.snapshot()
        var wanted: [Double] = []
        for i in s.models.indices {
          let v = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
          s.models[i].loss = v
          wanted.append(v)
        }
        let b = render(s, width, 30)
        for (i, v) in wanted.enumerated() {
          let row = b.lines[3 + i]
          let cells = row.split(separator: " ").map(String.init)
          let shown = cells.filter { $0.contains("e+") || $0.contains("e-") || $0 == "—" }
          guard v.isFinite else {
            #expect(row.contains("—"), "\(v): \(row)")
            continue
          }
          let match = shown.contains { text in
            guard let f = Float80(text) else { return text.hasSuffix("…") }
            let digits = text.split(separator: "e")[0].filter(\.isNumber).count
            let exponent = Int(text.split(separator: "e")[1]) ?? 0
            var unit: Float80 = 1
            for _ in 0..<abs(exponent - digits + 1) { unit *= 10 }
            if exponent - digits + 1 < 0 { unit = 1 / unit }
            return abs(f - Float80(v)) <= unit / 2 * (1 + 1e-12)
          }
          #expect(match, "loss \(v) not shown in row: \(row)")
        }
      }
    }
  }

  static func many(_ count: Int) -> SessionSnapshot {
    var s = Fixtures.snapshot()
    let names = ["vanilla", "penalized", "penalized-scaled", "linear", "biasfree", "odd"]
    s.models = (0..<count).map { i in
      var m = s.models[i % 3]
      let base = names[i % names.count]
      m.label = i < names.count ? base : "\(base)#\(i / names.count + 1)"
      return m
    }
    return s
  }

  /// 24 models at 120×40 and 80×24: the table scrolls to the focus, says what is hidden, and the
  /// charts and the footer stay on screen; cut names stay distinct.
  @Test(arguments: [(120, 40), (80, 24)])
  func manyModelsScrollAndKeepTheChartsAndFooter(width: Int, height: Int) {
    let s = Self.many(24)
    for focus in [0, 5, 12, 23] {
      let b = render(s, width, height, state: DashboardState(focus: focus))
      let lines = b.lines
      let label = s.models[focus].label
      let cut = label.truncatedKeepingSuffix(to: width >= 110 ? 20 : 14, ellipsis: "…")
      #expect(lines.contains { $0.contains("▶ " + cut) }, "focus \(focus) not visible")
      #expect(lines.last?.contains("Quit") == true, "footer off screen")
      #expect(lines.contains { $0.contains("a-priori error and loss") }, "big chart off screen")
      #expect(lines.contains { $0.contains("more") && $0.contains("▼") } || focus == 23)
      if focus == 23 { #expect(lines.contains { $0.contains("▲") && $0.contains("more") }) }
      // Every name on screen is distinct.
      let names = lines.compactMap { line -> String? in
        guard line.hasPrefix("│"), line.dropFirst(3).first?.isLetter == true else { return nil }
        return line.dropFirst(3).split(separator: " ").first.map(String.init)
      }
      #expect(Set(names).count == names.count, "\(names)")
    }
  }

  /// The structure matrix with more models than rows: scrolled to the focus, and says so.
  @Test func theMatrixSaysWhatItHides() {
    var state = DashboardState(focus: 23)
    state.view = .matrix
    let b = render(Self.many(24), 120, 40, state: state).lines
    #expect(b.contains { $0.contains("▲") && $0.contains("more") }, "\(b.joined(separator: "\n"))")
    #expect(b.contains { $0.contains("odd#4") })
    state.focus = 0
    let top = render(Self.many(24), 120, 40, state: state).lines
    #expect(top.contains { $0.contains("▼") && $0.contains("more") })
  }

  @Test func hiddenCountsAreRight() {
    // 24 models, 40 lines: the pane is 17 rows, 14 of them models.
    let b = render(Self.many(24), 120, 40, state: DashboardState(focus: 0))
    #expect(b.lines.contains { $0.contains("▼ 10 more") })
    let end = render(Self.many(24), 120, 40, state: DashboardState(focus: 23))
    #expect(end.lines.contains { $0.contains("▲ 10 more") })
    #expect(!end.lines.contains { $0.contains("▼") })
    let few = render(Self.many(3), 120, 40)
    #expect(!few.lines.contains { $0.contains("more") })
  }

  /// One truth: while PAUSED every model says paused and no model claims a speed; at DONE the
  /// header shows the mean rate, marked avg.
  @Test func pausedAndDoneAreOneTruth() {
    var s = Fixtures.snapshot(state: .paused)
    for i in s.models.indices { s.models[i].status = .paused }
    let b = render(s, 160, 40).lines.joined(separator: "\n")
    #expect(b.contains("PAUSED"))
    #expect(!b.contains("training"))
    #expect(b.contains("paused"))
    #expect(!b.contains("250k"), "a paused model shows a speed")
    #expect(b.contains("avg 123k steps/s"))
    let running = render(Fixtures.snapshot(), 160, 40).lines.joined(separator: "\n")
    #expect(running.contains("250k"))
    #expect(!running.contains("avg"))
  }

  /// The REC badge and a replay's fields never push the header's state or step off.
  @Test(arguments: [80, 100, 120])
  func headerKeepsItsFieldsWhole(width: Int) throws {
    var s = Fixtures.snapshot()
    s.recording = RecordingStatus(
      path: "/tmp/sptop-2026-11-30-13-45-12-a-long-name.jsonl", records: 10, message: nil)
    let line = render(s, width, 24).lines[0]
    #expect(line.contains("REC"))
    #expect(line.contains("RUNNING"))
    #expect(line.contains("400/5000"))
    // No field is cut in the middle: the line ends in a whole field.
    let last = try #require(line.split(separator: " ").last)
    let whole = ["sgd", "randn", "20", "5", "1", "01:02:05", "steps/s", "123k/s", "400/5000"]
    #expect(whole.contains(String(last)), "header ends in '\(last)': \(line)")
  }

  /// Every key does something in every state or says why not.
  @Test func keysThatCannotActSayWhy() {
    var done = Fixtures.snapshot(state: .done)
    done.step = 5000
    var state = DashboardState()
    func press(_ key: Character, _ s: SessionSnapshot) -> [DashboardEffect] {
      state.update(with: .character(key), keyMap: .standard, modelCount: 3, session: s)
    }
    func notice(_ effects: [DashboardEffect]) -> String? {
      guard effects.count == 1, case .notice(let text) = effects[0] else { return nil }
      return text
    }
    for key: Character in ["R", " ", "s"] {
      let why = notice(press(key, done))
      #expect(why?.contains("5000/5000") == true, "\(key): \(why ?? "nil")")
    }
    // η changes act at DONE (recorded, and kept for a reset of a diverged model).
    #expect(press("+", done) == [.session(.scaleEta(model: 0, factor: 2))])
    // Running: s says it steps only while paused; Space pauses.
    let running = Fixtures.snapshot()
    #expect(notice(press("s", running))?.contains("paused") == true)
    #expect(press(" ", running) == [.session(.togglePause)])
    // Every model diverged before the end: R resets (and training goes on), Space says so.
    var diverged = Fixtures.snapshot(state: .done, diverged: true)
    diverged.step = 100
    #expect(press("R", diverged) == [.session(.reset(model: 0))])
    #expect(notice(press(" ", diverged))?.contains("diverged") == true)
  }

  /// A snapshot with a model whose values are all missing (diverged, no diagnostics yet).
  static func withMissing() -> SessionSnapshot {
    var s = Fixtures.snapshot(diverged: true)
    s.models[1].loss = .nan
    s.models[1].aprioriError = .nan
    s.models[1].structure = StructureMetrics(
      additivity: .nan, homogeneity: s.models[1].structure.homogeneity.map { _ in .nan })
    s.models[1].diagnostics = nil
    return s
  }

  /// In ASCII mode every view, missing values included, is ASCII, and a missing value has one
  /// mark everywhere: the glyph set's "-", never "?" nor a violation mark.
  @Test func asciiMissingValuesAreOneMarkEverywhere() {
    for view in LowerView.allCases {
      var state = DashboardState(focus: 1)
      state.view = view
      for (w, h) in [(80, 24), (120, 40)] {
        let b = render(Self.withMissing(), w, h, state: state, glyphs: .ascii)
        let odd = b.cells.map(\.symbol).filter { !$0.isASCII }.map { String($0) }
        #expect(odd.isEmpty, "\(view) \(w)x\(h): \(Set(odd))")
        // The footer has "? Help", the matrix a column "N = f?".
        let text = b.lines.dropLast().joined(separator: "\n").replacingOccurrences(
          of: "N = f?", with: "")
        #expect(!text.contains("?"), "\(view): a '?' on screen")
        let row = b.lines.first { $0.contains("> penalized") } ?? ""
        #expect(row.hasSuffix(" -|") || row.contains(" - "), "\(view): \(row)")
      }
    }
    var matrix = DashboardState(focus: 1)
    matrix.view = .matrix
    let m = render(Self.withMissing(), 120, 40, state: matrix, glyphs: .ascii).lines
    let row = m.first {
      $0.contains("|penalized") || $0.contains("penalized  ") && $0.contains("no")
    }
    #expect(
      row.map { !$0.contains("X") } == true, "a missing value shown as a violation: \(row ?? "")")
  }

  /// The big chart's two series have distinct marks in ASCII, and the legend shows each.
  @Test func asciiSeriesHaveDistinctMarksAndLegend() {
    let b = render(Fixtures.snapshot(), 100, 30, glyphs: .ascii).lines
    #expect(b.contains { $0.contains("** a-priori error") })
    #expect(b.contains { $0.contains("oo loss") })
    let plot = b.dropFirst(8).joined()
    #expect(plot.contains("o") && plot.contains("*"))
  }

  /// On a linear axis the big chart's y labels include 0 and its top.
  @Test func linearChartsLabelZeroAndTop() {
    let b = render(Fixtures.snapshot(), 100, 30, state: DashboardState(logScale: false)).lines
    let chart = b.filter { $0.hasPrefix("┃") }
    let labels = chart.compactMap { line -> String? in
      let inner = line.dropFirst().prefix(7).trimmingCharacters(in: .whitespaces)
      return inner.isEmpty ? nil : inner
    }
    #expect(labels.first.flatMap(Double.init).map { $0 > 2 } == true, "top: \(labels)")
    #expect(labels.contains("0"), "zero: \(labels)")
  }

  /// The help overlay wraps rather than cuts at 80×24 and lists every action bound.
  @Test func helpWrapsAtTheSmallestSize() {
    var state = DashboardState()
    state.showHelp = true
    let b = render(Fixtures.snapshot(), 80, 24, state: state).lines.joined(separator: "\n")
    #expect(!b.contains("…"), "\(b)")
    for entry in KeyMap.standard.helpEntries {
      #expect(b.contains(entry.keys + " "), "\(entry.keys) missing")
    }
    #expect(b.contains("charts)"))
  }

  /// The waterfall's colour legend shows raw values, and says the scale is logarithmic.
  @Test func waterfallLegendSaysWhatItShows() {
    var state = DashboardState()
    state.view = .waterfall
    let b = render(Fixtures.snapshot(), 120, 40, state: state).lines.joined(separator: "\n")
    #expect(!b.contains("log10 error"))
    #expect(b.contains("error (log colour scale)"))
  }
}
