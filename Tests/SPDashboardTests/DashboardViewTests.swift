import SPEngine
import SPTUI
import Testing

@testable import SPDashboard

/// Whole dashboard screens rendered into buffers and compared as text.
@Suite struct DashboardViewTests {
  func render(
    _ width: Int, _ height: Int, state: DashboardState = DashboardState(),
    snapshot: SessionSnapshot? = Fixtures.snapshot(), glyphs: Glyphs = .unicode
  ) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    DashboardView(snapshot: snapshot, state: state, glyphs: glyphs)
      .render(in: buffer.area, into: &buffer)
    return buffer
  }

  @Test(arguments: [(80, 24), (120, 40), (200, 60)])
  func fullScreens(width: Int, height: Int) {
    Fixtures.expectScreen(render(width, height), "dashboard-\(width)x\(height)")
  }

  @Test func asciiScreen() {
    let b = render(80, 24, glyphs: .ascii)
    Fixtures.expectScreen(b, "dashboard-80x24-ascii")
    #expect(b.cells.allSatisfy { $0.symbol.isASCII }, "a non-ASCII glyph in ASCII mode")
    let help = render(80, 24, state: DashboardState(showHelp: true), glyphs: .ascii)
    #expect(help.cells.allSatisfy { $0.symbol.isASCII }, "a non-ASCII glyph in the ASCII help")
  }

  @Test func helpOverlay() {
    Fixtures.expectScreen(render(80, 24, state: DashboardState(showHelp: true)), "dashboard-help")
  }

  @Test func focusOnLinearAndLinearScale() {
    let b = render(120, 40, state: DashboardState(focus: 2, logScale: false))
    Fixtures.expectScreen(b, "dashboard-linear-lin")
    #expect(b.lines.contains { $0.contains("▶ linear") })
    #expect(b.lines.contains { $0.contains("linear · a-priori error and loss") })
    #expect(b.lines.contains { $0.contains(" LIN ") })
    #expect(!b.lines.contains { $0.contains(" LOG ") })
  }

  /// A running session whose rate is not measured yet says "—", never "0 steps/s"; paused, the
  /// mean over the running time.
  @Test func anUnmeasuredRateIsADash() {
    var s = Fixtures.snapshot()
    s.rateMeasured = false
    #expect(render(120, 40, snapshot: s).lines[0].contains("  — steps/s"))
    #expect(render(120, 40, snapshot: s, glyphs: .ascii).lines[0].contains("  - steps/s"))
    s.state = .paused
    #expect(render(120, 40, snapshot: s).lines[0].contains("avg 123k steps/s"))
  }

  @Test func divergedAndPaused() {
    let b = render(120, 40, snapshot: Fixtures.snapshot(state: .paused, diverged: true))
    #expect(b.lines[0].contains("PAUSED"))
    #expect(b.lines.contains { $0.contains("penalized") && $0.contains("DIVERGED") })
    let narrow = render(80, 24, snapshot: Fixtures.snapshot(diverged: true))
    #expect(narrow.lines.contains { $0.contains("penalized") && $0.contains("DIVERGED") })
    // The alarm colour marks it.
    let row = narrow.lines.firstIndex { $0.contains("DIVERGED") }!
    let col = Array(narrow.lines[row].unicodeScalars).firstIndex(of: "D")!
    #expect(narrow[col, row].style == Theme.dark.alarm)
  }

  @Test func headerShowsComputedNumbers() {
    let top = render(120, 40).lines[0]
    #expect(top.contains("RUNNING"))
    #expect(top.contains("step 400/5000"))
    #expect(top.contains("123k steps/s"))
    #expect(top.contains("01:02:05"))
    #expect(top.contains("seed 1") && top.contains("n 5") && top.contains("batch 20"))
    #expect(top.contains("sgd"))
  }

  @Test func lambdaPanelComparesVanillaWithTheStructuredModel() {
    let b = render(120, 40)
    let legend = b.lines.joined()
    #expect(legend.contains("━━ vanilla"))
    #expect(legend.contains("━━ linear"))
    // Values at 0 sit at the floor, which is labelled as such.
    #expect(legend.contains("≤1e-17"))
    let focusedPenalized = render(120, 40, state: DashboardState(focus: 1)).lines.joined()
    #expect(focusedPenalized.contains("━━ penalized"))
  }

  @Test func tooSmallSaysSoAndTinyAreasDoNotCrash() {
    let b = render(40, 12)
    #expect(b.lines.contains { $0.contains("sptop needs at least 80×24") })
    #expect(b.lines.contains { $0.contains("this terminal is 40×12") })
    Fixtures.expectScreen(b, "too-small-40x12")
    for (w, h) in [(0, 0), (1, 1), (2, 1), (1, 5), (79, 24), (80, 23)] {
      let tiny = render(w, h)
      #expect(tiny.width == w && tiny.height == h)
    }
    #expect(render(80, 24, snapshot: nil).lines.contains { $0.contains("preparing") })
  }

  @Test func structureMatrixView() {
    var state = DashboardState()
    _ = state.update(with: .character("m"), keyMap: .standard, modelCount: 3)
    #expect(state.view == .matrix)
    let b = render(120, 40, state: state)
    Fixtures.expectScreen(b, "structure-matrix-120x40")
    let linear = b.lines.first { $0.contains("│linear ") }!
    #expect(linear.contains("✓ EXACT"))
    // mass is measured exact but not guaranteed: plain EXACT; energy is violated: a value.
    #expect(linear.contains(" EXACT") && linear.contains("3.00e-01"))
    let vanilla = b.lines.first { $0.contains("│vanilla ") }!
    #expect(!vanilla.contains("EXACT") && vanilla.contains("2/10"))
    // Whether the architecture can represent f at all: the MLP of width n cannot, B1 x can.
    #expect(vanilla.hasSuffix(" no│") && linear.hasSuffix(" yes│"))
    #expect(b.lines.contains { $0.contains("│target general: f(x) = A x, A = randn(n, n); f has") })
    #expect(b.lines.contains { $0.contains("│N = f?       whether some parameters") })
    // At 80 columns the offset, dead units and a-priori error give way so that every value
    // still shows whole (headers may be shortened), and the legend names only what is shown.
    let narrow = render(80, 24, state: state)
    let rows = narrow.lines.filter { $0.hasPrefix("│vanilla ") || $0.hasPrefix("│linear ") }
    #expect(rows.count == 2 && rows.allSatisfy { !$0.contains("…") }, "\(rows)")
    #expect(rows.count == 2 && rows[0].hasSuffix(" no│") && rows[1].hasSuffix(" yes│"))
    #expect(rows.first?.contains("2/10") == false, "dead units give way at 80 columns")
    #expect(!narrow.lines.contains { $0.contains("│dead ") })
    _ = state.update(with: .character("m"), keyMap: .standard, modelCount: 3)
    #expect(state.view == .charts)
  }

  /// The matrix draws what `ModelDiagnostics.verdict` says: a diverged vanilla's non-finite
  /// values as "—" with no ✗ (it guarantees nothing), a guaranteed property whose Float80 defect
  /// is above the threshold as ✗ and its value, whatever the float64 value looks like.
  @Test func structureMatrixDrawsTheVerdict() {
    var s = Fixtures.snapshot(diverged: true)
    var v = s.models[0].diagnostics!
    v.structure.additivity = .infinity
    v.homogeneity = .nan
    v.oddness = .nan
    s.models[0].diagnostics = v
    s.models[0].status = .diverged
    var l = s.models[2].diagnostics!
    l.extendedDefects[.additivity] = 1e-13
    l.structure.additivity = 4e-16
    s.models[2].diagnostics = l
    var state = DashboardState()
    _ = state.update(with: .character("m"), keyMap: .standard, modelCount: 3)
    let b = render(120, 40, state: state, snapshot: s)
    let vanilla = b.lines.first { $0.contains("│vanilla ") }!
    #expect(!vanilla.contains("✗") && vanilla.contains("—"), "\(vanilla)")
    #expect(!vanilla.contains("EXACT"))
    let linear = b.lines.first { $0.contains("│linear ") }!
    #expect(linear.contains("✗ 4.00e-16") && linear.contains("✓ EXACT"), "\(linear)")
    #expect(b.lines.contains { $0.contains("EXACT: defect in Float80 ≤ 1e-15") })
  }

  @Test func waterfallView() {
    var state = DashboardState()
    _ = state.update(with: .character("w"), keyMap: .standard, modelCount: 3)
    #expect(state.view == .waterfall)
    let b = render(120, 40, state: state)
    Fixtures.expectScreen(b, "waterfall-120x40")
    #expect(b.lines.contains { $0.contains("vanilla · homogeneity error over λ and steps") })
    // Half blocks carry two samples per cell, in colour.
    let cells = b.cells.filter { $0.symbol == "▀" }
    #expect(cells.count > 1000)
    #expect(Set(cells.map(\.style.foreground)).count > 5, "the colour follows the error")
    let ascii = render(80, 24, state: state, glyphs: .ascii)
    Fixtures.expectScreen(ascii, "waterfall-80x24-ascii")
    #expect(ascii.cells.allSatisfy { $0.symbol.isASCII })
  }

  @Test func rolloutViewNeedsTheSkewTarget() {
    var state = DashboardState()
    _ = state.update(with: .character("o"), keyMap: .standard, modelCount: 3)
    let b = render(120, 40, state: state)
    #expect(b.lines.contains { $0.contains("the energy rollout is computed for the skew target") })
    var s = Fixtures.snapshot()
    let times = (0...100).map { Double($0) * 0.1 }
    s.rollout = RolloutCurves(
      times: times, reference: times.map { _ in 4 },
      models: [times.map { 4 + $0 }, [], times.map { _ in 4 }])
    let r = render(120, 40, state: state, snapshot: s)
    Fixtures.expectScreen(r, "rollout-120x40")
    #expect(r.lines.contains { $0.contains("━━ reference A x") })
    #expect(r.lines.contains { $0.contains("━━ linear") })
    #expect(!r.lines.contains { $0.contains("━━ penalized") }, "an empty curve is left out")
  }

  /// In a locale that is not UTF-8 every symbol the dashboard writes has an ASCII spelling
  /// (the fallback would be "?"): every non-ASCII scalar on every view, in Unicode mode, is
  /// either a drawing glyph (box drawing, block elements, braille: `Glyphs.ascii` replaces
  /// them) or has an entry in `ASCIIText`.
  @Test func everySymbolOnEveryViewHasAnASCIISpelling() {
    var skew = Fixtures.snapshot()
    skew.settings.target = .skew
    let times = (0...100).map { Double($0) * 0.1 }
    skew.rollout = RolloutCurves(
      times: times, reference: times.map { _ in 4 }, models: [times, times, times])
    var seen: Set<Unicode.Scalar> = []
    for view in LowerView.allCases {
      for help in [false, true] {
        var state = DashboardState(showHelp: help)
        state.view = view
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
          let b = render(
            w, h, state: state, snapshot: view == .rollout ? skew : Fixtures.snapshot())
          for cell in b.cells where !cell.symbol.isASCII { seen.insert(cell.symbol) }
        }
      }
    }
    let drawing: (Unicode.Scalar) -> Bool = {
      (0x2500...0x259F).contains($0.value) || (0x2800...0x28FF).contains($0.value)
    }
    let missing = seen.filter { !drawing($0) && ASCIIText.replacements[$0] == nil }
    #expect(missing.isEmpty, "no ASCII spelling for \(missing.map { String($0) }.sorted())")
    #expect(seen.contains("‖") && seen.contains("✓"), "the matrix and its legend were drawn")
  }

  @Test func clockFormat() {
    #expect(DashboardView.clock(0) == "00:00:00")
    #expect(DashboardView.clock(3725.9) == "01:02:05")
    #expect(DashboardView.clock(.nan) == "00:00:00")
    #expect(DashboardView.clock(1e300) == "277777777:46:40", "a replayed log's huge time")
    #expect(DashboardView.clock(-5) == "00:00:00")
  }
}
