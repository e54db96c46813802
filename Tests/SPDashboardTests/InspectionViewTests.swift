import Foundation
import SPTUI
import Testing

@testable import SPDashboard
@testable import SPEngine

/// The inspection cursor's readouts against the histories they read, and the range the big
/// chart shows.
@Suite struct InspectionViewTests {
  func render(
    _ width: Int, _ height: Int, state: DashboardState,
    snapshot: SessionSnapshot = Fixtures.snapshot(), glyphs: Glyphs = .unicode
  ) -> Buffer {
    DashboardViewTests().render(width, height, state: state, snapshot: snapshot, glyphs: glyphs)
  }

  /// Whether a row of the readout box shows `want` whole (then padding or the chart's edge), or
  /// cut visibly: a prefix of it, then the ellipsis.
  static func shows(
    _ row: String, _ want: String, ellipsis: Unicode.Scalar = "…", cut: Bool = false
  ) -> Bool {
    let r = Array(row.unicodeScalars)
    let w = Array(want.unicodeScalars)
    if r.starts(with: w) && (r.count == w.count || r[w.count] == " ") { return true }
    guard cut, let cut = r.firstIndex(of: ellipsis), cut < w.count else { return false }
    return w.starts(with: r[..<cut])
  }

  /// The rows of the readout box: from the row that says `first` ("step …", "λ …"), each row's
  /// text from that column to the chart's right edge.
  static func readout(_ b: Buffer, first: String) -> [String]? {
    let lines = b.lines.map { Array($0.unicodeScalars) }
    let key = Array(first.unicodeScalars)
    for (y, line) in lines.enumerated() {
      guard line.count >= key.count else { continue }
      for x in 0...(line.count - key.count) where Array(line[x..<(x + key.count)]) == key {
        // The box ends where its cleared cells end: read until the chart's right edge.
        return (y..<min(lines.count, y + 5)).map { row in
          let scalars = lines[row].dropFirst(x).prefix { $0 != "┃" && $0 != "│" }
          var s = String.UnicodeScalarView()
          s.append(contentsOf: scalars)
          return String(s)
        }
      }
    }
    return nil
  }

  /// The value the fixture's history holds at `step`, found by hand: its buckets cover 8 steps
  /// each (400 points in 64 buckets at most), and a bucket shows its last value.
  static func bucketLast(_ f: (Int) -> Double, step: Int, count: Int = 400) -> Double {
    var h = History(capacity: 64)
    for i in 0..<count { h.append(iteration: i, value: f(i)) }
    let span = h.span
    return f(min(count - 1, step / span * span + span - 1))
  }

  @Test(arguments: [0, 1, 137, 200, 255, 399])
  func theReadoutShowsTheHistoryAtTheCursorsStep(step: Int) throws {
    var state = DashboardState()
    state.inspection = Inspection(x: Double(step))
    let b = render(120, 40, state: state)
    let box = try #require(
      Self.readout(b, first: "step \(step)"), "\(b.lines.joined(separator: "\n"))")
    let m = Fixtures.snapshot().models[0]
    let apriori = try #require(m.aprioriHistory.value(at: step))
    let loss = try #require(m.lossHistory.value(at: step))
    // The History's value, and the fixture's formula at the last step of the bucket.
    #expect(apriori == Self.bucketLast({ exp(-0.005 * Double($0)) }, step: step))
    #expect(
      loss
        == Self.bucketLast(
          { 2 * exp(-0.005 * Double($0)) * (1 + 0.3 * sin(Double($0))) }, step: step))
    #expect(Self.shows(box[0], "step \(step)"), "\(box)")
    #expect(Self.shows(box[1], "━━ a-priori " + NumberFormat.sci(apriori, digits: 3)), "\(box)")
    #expect(Self.shows(box[2], "━━ loss " + NumberFormat.sci(loss, digits: 3)), "\(box)")
    // The cursor column is drawn at the step.
    #expect(b.lines.contains { $0.contains("│") })
  }

  @Test func historyValueAtAStep() {
    var h = History(capacity: 4)
    for i in stride(from: 10, to: 80, by: 10) { h.append(iteration: i, value: Double(i)) }
    // Buckets of two: [10, 20], [30, 40], [50, 60], [70].
    #expect(h.value(at: 5) == nil)
    #expect(h.value(at: 10) == 20)
    #expect(h.value(at: 25) == 20)
    #expect(h.value(at: 30) == 40)
    #expect(h.value(at: 69) == 60)
    #expect(h.value(at: 1000) == 70)
  }

  /// An ensemble of five seeds whose a-priori error and loss at step i are known.
  static func ensembleSnapshot() -> SessionSnapshot {
    var s = Fixtures.snapshot()
    var m = s.models[0]
    var apriori = BandHistory()
    var loss = BandHistory()
    func seeds(_ i: Int, _ scale: Double) -> [Double] {
      (1...5).map { k in scale * exp(-0.005 * Double(i)) * (1 + 0.1 * Double(k * k % 7)) }
    }
    for i in 0..<400 {
      apriori.append(iteration: i, values: seeds(i, 1))
      loss.append(iteration: i, values: seeds(i, 2))
    }
    m.aprioriHistory = apriori.median
    m.lossHistory = loss.median
    let lambdas = s.lambdas
    m.ensemble = ModelEnsemble(
      seeds: 5, diverged: 0, loss: SeedStatistics(seeds(399, 2)),
      apriori: SeedStatistics(seeds(399, 1)), additivity: SeedStatistics([0.1]),
      homogeneityMax: SeedStatistics([0.3]),
      homogeneity: lambdas.map { l in SeedStatistics((1...5).map { abs(l) * Double($0) / 10 }) },
      properties: [:], lossBand: loss, aprioriBand: apriori, aprioriTraces: [])
    s.models[0] = m
    return s
  }

  @Test(arguments: [0, 123, 399])
  func anEnsemblesReadoutShowsTheMedianAndQuartilesAtTheStep(step: Int) throws {
    var state = DashboardState()
    state.inspection = Inspection(x: Double(step))
    let b = render(160, 44, state: state, snapshot: Self.ensembleSnapshot())
    let box = try #require(Self.readout(b, first: "step \(step)"))
    // The seeds' values at the step, and numpy's quantiles of them (`SeedStatistics`).
    let values = (1...5).map { k in exp(-0.005 * Double(step)) * (1 + 0.1 * Double(k * k % 7)) }
    let x = values.sorted()
    func sci(_ v: Double) -> String { NumberFormat.sci(v, digits: 3) }
    let median = x[2]
    let q1 = x[1]
    let q3 = x[3]
    #expect(Self.shows(box[1], "━━ median a-priori " + sci(median)), "\(box)")
    #expect(Self.shows(box[2], "   q1 \(sci(q1)) q3 \(sci(q3))"), "\(box)")
    let e = Self.ensembleSnapshot().models[0].ensemble!
    #expect(e.aprioriBand.median.value(at: step) == median)
    #expect(e.aprioriBand.q1.value(at: step) == q1)
    #expect(e.aprioriBand.q3.value(at: step) == q3)
    #expect(Self.shows(box[3], "━━ median loss " + sci(2 * median)), "\(box)")
    #expect(Self.shows(box[4], "   q1 \(sci(2 * q1)) q3 \(sci(2 * q3))"), "\(box)")
  }

  /// The λ panel's readout: the probe's λ nearest the cursor and each model's error there (an
  /// ensemble's median and quartiles).
  @Test func theLambdaPanelsReadout() throws {
    var state = DashboardState()
    state.inspection = Inspection(panel: .lambda, x: 2.3)
    let s = Fixtures.snapshot()
    let k = DashboardView.nearest(2.3, in: s.lambdas)
    let b = render(160, 44, state: state)
    let lambda = NumberFormat.compact(s.lambdas[k], significantDigits: 3)
    let box = try #require(Self.readout(b, first: "λ \(lambda)"))
    #expect(
      Self.shows(box[1], "━━ vanilla " + NumberFormat.sci(s.models[0].structure.homogeneity[k])),
      "\(box)")
    #expect(
      Self.shows(box[2], "━━ linear " + NumberFormat.sci(s.models[2].structure.homogeneity[k])),
      "\(box)")
    let e = render(160, 44, state: state, snapshot: Self.ensembleSnapshot())
    let ebox = try #require(Self.readout(e, first: "λ \(lambda)"))
    let h = Self.ensembleSnapshot().models[0].ensemble!.homogeneity[k]
    #expect(Self.shows(ebox[1], "━━ vanilla median " + NumberFormat.sci(h.median!)), "\(ebox)")
    #expect(
      Self.shows(ebox[2], "   q1 \(NumberFormat.sci(h.q1!)) q3 \(NumberFormat.sci(h.q3!))"),
      "\(ebox)")
  }

  /// The waterfall's readout: the λ of the cursor's column, the step of its row, the error.
  @Test func theWaterfallsReadout() throws {
    var state = DashboardState()
    state.view = .waterfall
    state.inspection = Inspection(x: -10, row: 3)
    let s = Fixtures.snapshot()
    let b = render(120, 40, state: state)
    let box = try #require(Self.readout(b, first: "λ -10"), "\(b.lines.joined(separator: "\n"))")
    let row = s.models[0].waterfall[s.models[0].waterfall.count - 1 - 3]
    #expect(Self.shows(box[1], "step \(row.step)"), "\(box)")
    #expect(Self.shows(box[2], "error " + NumberFormat.sci(row.values[0])), "\(box)")
  }

  /// However narrow the chart, a readout line is whole or cut visibly: never a shorter number.
  @Test(arguments: [(80, 24), (100, 30), (120, 40)])
  func theReadoutIsNeverCutIntoAnotherNumber(width: Int, height: Int) throws {
    for glyphs in [Glyphs.unicode, .ascii] {
      for (panel, snapshot) in [
        (Inspection.Panel.main, Self.ensembleSnapshot()), (.lambda, Self.ensembleSnapshot()),
        (.lambda, Fixtures.snapshot()),
      ] {
        var state = DashboardState(focus: panel == .lambda ? 1 : 0)
        state.inspection = Inspection(panel: panel, x: panel == .main ? 250 : 4)
        let view = DashboardView(snapshot: snapshot, state: state, glyphs: glyphs)
        let b = render(width, height, state: state, snapshot: snapshot, glyphs: glyphs)
        let expected: [String]
        if panel == .main {
          expected = view.focusReadout(snapshot.models[0], step: 250, color: .plain).map {
            $0.spans.map(\.text).joined()
          }
        } else {
          let k = DashboardView.nearest(4, in: snapshot.lambdas)
          let shown = [0, 1]
          expected = view.lambdaReadout(snapshot, models: shown, index: k).map {
            $0.spans.map(\.text).joined()
          }
        }
        let first = expected[0]
        let box = try #require(
          Self.readout(b, first: first), "\(width)×\(height) \(panel): no '\(first)'")
        for (line, want) in zip(box, expected) {
          let ok = Self.shows(line, want, ellipsis: glyphs.ellipsis, cut: true)
          #expect(ok, "\(width)×\(height) \(panel): '\(line)' for '\(want)'")
        }
      }
    }
  }

  /// The range in the title, and the chart's x axis over it.
  @Test func theTitleSaysTheRange() {
    var state = DashboardState()
    state.range = .tail(steps: 100)
    var b = render(120, 40, state: state).lines.joined(separator: "\n")
    #expect(b.contains("· last 100 steps "))
    #expect(b.contains(" 300 ") && b.contains(" 400"))
    state.range = .frozen(lower: 100, upper: 200)
    b = render(120, 40, state: state).lines.joined(separator: "\n")
    #expect(b.contains("· steps 100–200 frozen "))
    state.smoothing = 0.9
    // Where the whole does not fit, the short forms: said whole, never cut.
    for (w, h, said) in [
      (
        200, 60,
        " vanilla · a-priori error and loss · smoothed 0.9 in log space · steps 100–200 frozen "
      ),
      (120, 40, " vanilla · ema 0.9 log · steps 100–200 frozen "),
      (80, 24, " ema 0.9 log · 100–200 frozen "),
    ] {
      for glyphs in [Glyphs.unicode, .ascii] {
        let t = render(w, h, state: state, glyphs: glyphs).lines.joined(separator: "\n")
        #expect(
          t.contains(glyphs.braille ? said : ASCIIText.transliterate(said)), "\(w)×\(h)\n\(t)")
      }
    }
  }

  @Test func cursorScreens() {
    var state = DashboardState()
    state.inspection = Inspection(x: 250)
    Fixtures.expectScreen(render(120, 40, state: state), "dashboard-cursor-120x40")
    state.inspection = Inspection(panel: .lambda, x: 4)
    state.range = .frozen(lower: 100, upper: 300)
    Fixtures.expectScreen(
      render(80, 24, state: state, glyphs: .ascii), "dashboard-cursor-lambda-80x24-ascii")
  }
}
