import Testing

@testable import SPTUI

@Suite struct LineChartTests {
  /// A chart with nothing but the plot: no border, axes or legend.
  func bare(_ series: [LineChart.Series], glyphs: Glyphs = .unicode) -> LineChart {
    LineChart(
      series: series, xRange: 0...1, yRange: 0...1, legend: .hidden, glyphs: glyphs,
      bordered: false, showAxes: false)
  }

  /// A marker's label sits on the bottom row beside it: right where it fits, else left, cut
  /// with an ellipsis when neither side holds it.
  @Test func markerLabelsSitBesideTheirMarkers() {
    var chart = bare([], glyphs: .ascii)
    chart.xRange = 0...9
    chart.markers = [2, 8]
    chart.markerLabels = [MarkerLabel(x: 2, text: "-> ab")]
    #expect(rendered(chart, width: 10, height: 2).lines.last == "  :-> ab: ")
    chart.markerLabels = [MarkerLabel(x: 8, text: "-> cd")]
    #expect(rendered(chart, width: 10, height: 2).lines.last == "  :-> cd: ")
    chart.markers = [5]
    chart.markerLabels = [MarkerLabel(x: 5, text: "-> a long name")]
    #expect(
      rendered(chart, width: 10, height: 2).lines.last == "-> a" + "\(Glyphs.ascii.ellipsis):    ")
  }

  @Test func brailleDotsOfATinyDiagonal() {
    // 2×1 cells = 4×4 dots; (0,0)→(1,1) is the dots (0,3) (1,2) (2,1) (3,0).
    let chart = bare([.init("a", points: [(0, 0), (1, 1)])])
    expectScreen(rendered(chart, width: 2, height: 1), ["⡠⠊"])
  }

  @Test func asciiMarksPointsAndTheLinesBetween() {
    let chart = bare([.init("a", points: [(0, 0), (1, 1)])], glyphs: .ascii)
    expectScreen(
      rendered(chart, width: 4, height: 4),
      [
        "   *",
        "  . ",
        " .  ",
        "*   ",
      ])
  }

  @Test func aGlyphSetWithoutBrailleUsesItsOwnMarks() {
    var glyphs = Glyphs.unicode
    glyphs.braille = false
    let chart = bare([.init("a", points: [(0, 0), (1, 0)])], glyphs: glyphs)
    expectScreen(rendered(chart, width: 4, height: 1), ["•··•"])
  }

  /// A series drawn behind shows only where the others leave a cell empty: there its own dots
  /// in its own style; where a front series passes, only the front series' dots.
  @Test func aSeriesBehindShowsOnlyInCellsTheOthersLeaveEmpty() {
    var back = LineChart.Series("", style: Style(attributes: .dim), points: [(0, 0), (1, 0)])
    back.behind = true
    let front = LineChart.Series("a", points: [(0, 0), (0.5, 1)])
    let b = rendered(bare([back, front]), width: 4, height: 1)
    let alone = rendered(bare([front]), width: 4, height: 1)
    let under = rendered(bare([back]), width: 4, height: 1)
    for col in 0..<4 {
      if alone[col, 0].symbol != " " {
        #expect(b[col, 0] == alone[col, 0], "column \(col): the front series alone")
      } else {
        #expect(b[col, 0] == under[col, 0] && b[col, 0].style.attributes.contains(.dim))
      }
    }
    // Before, behind or not, a later series' colour won and both series' dots stayed.
    let shared = rendered(bare([.init("", points: back.points), front]), width: 4, height: 1)
    #expect(shared[0, 0].symbol != alone[0, 0].symbol)
  }

  @Test func nonFinitePointsAreSkipped() {
    let chart = bare([.init("a", points: [(0, 0), (.nan, 5), (1, .infinity), (1, 1)])])
    expectScreen(rendered(chart, width: 2, height: 1), ["⡠⠊"])
  }

  @Test func linesLeavingAnExplicitRangeAreClippedAtTheEdge() {
    var chart = bare([.init("a", points: [(0, 0), (1, 1)])])
    chart.yRange = 0...0.5
    expectScreen(rendered(chart, width: 2, height: 1), ["⡰⠁"])
  }

  @Test func laterSeriesColourWinsInASharedCell() {
    let a = LineChart.Series("a", style: Style(foreground: .green), points: [(0, 0)])
    let b = LineChart.Series("b", style: Style(foreground: .red), points: [(1, 1)])
    let ab = rendered(bare([a, b]), width: 1, height: 1)
    expectScreen(ab, ["⡈"])
    #expect(ab[0, 0].style.foreground == .red)
    #expect(rendered(bare([b, a]), width: 1, height: 1)[0, 0].style.foreground == .green)
  }

  @Test func logAxisDrawsValuesAtOrBelowTheFloorAtTheFloorWithAnAtMostLabel() {
    let chart = LineChart(
      series: [.init("e", values: [1, 1e-2, 0])], xRange: 0...2, yScale: .log10(floor: 1e-4),
      legend: .hidden, bordered: false, yLabelWidth: 6)
    #expect(chart.hasClampedValues)
    expectScreen(
      rendered(chart, width: 12, height: 6),
      [
        "     1┤⠱⡀   ",
        "      │ ⠘⡄  ",
        "      │  ⠈⢆ ",
        " ≤1e-4┤   ⠈⢆",
        "      └┬───┬",
        "       0   2",
      ])
    var ascii = chart
    ascii.glyphs = .ascii
    expectScreen(
      rendered(ascii, width: 12, height: 6),
      [
        "     1+*    ",
        "      | .   ",
        "      |  *  ",
        "<=1e-4+   .*",
        "      ++---+",
        "       0   2",
      ])
  }

  @Test func floorLabelIsPlainWhenNothingWasClamped() {
    let chart = LineChart(
      series: [.init("e", values: [1, 1e-2, 2e-4])], xRange: 0...2,
      yScale: .log10(floor: 1e-4), legend: .hidden, bordered: false, yLabelWidth: 6)
    #expect(!chart.hasClampedValues)
    let lines = rendered(chart, width: 12, height: 8).lines
    #expect(lines[5].hasPrefix("  1e-4┤"), "\(lines)")
  }

  @Test func explicitTicksMarkersReferencesTitleAndBadge() {
    let chart = LineChart(
      series: [.init("h", points: [(-10, 10), (0, 0), (10, 10)])], title: "H", badge: "LIN",
      xRange: -10...10, yRange: 0...10, xTicks: [-10, 0, 10], markers: [0], references: [5],
      legend: .hidden, bordered: false, yLabelWidth: 3)
    let buffer = rendered(chart, width: 15, height: 6)
    expectScreen(
      buffer,
      [
        "H           LIN",
        " 10┤⠑⢄   │   ⡠⠊",
        "   │┄┄⠑⢄┄│┄⢀⠎┄┄",
        "  0┤    ⠑⢄⠔⠁   ",
        "   └┬────┬────┬",
        "   -10   0   10",
      ])
    #expect(buffer[9, 1].style == Style(attributes: .dim))  // marker
    #expect(buffer[4, 2].style == Style(attributes: .dim))  // reference
    #expect(buffer[0, 0].style == Style(attributes: .bold))  // title
  }

  @Test func legendInTheTopRightCornerOfABorderedChart() {
    let chart = LineChart(
      series: [
        .init("a", style: Style(foreground: .green), points: [(0, 0), (1, 0)]),
        .init("b", style: Style(foreground: .red), points: [(0, 1), (1, 1)]),
      ],
      title: "T", badge: "LOG", showAxes: false)
    let buffer = rendered(chart, width: 12, height: 4)
    expectScreen(
      buffer,
      [
        "┌ T ── LOG ┐",
        "│⠉⠉⠉⠉ ━━ a │",
        "│⣀⣀⣀⣀ ━━ b │",
        "└──────────┘",
      ])
    #expect(buffer[6, 1].style.foreground == .green && buffer[6, 2].style.foreground == .red)
    #expect(buffer[1, 1].style.foreground == .red)
  }

  @Test func legendOnItsOwnRow() {
    let chart = LineChart(
      series: [.init("a", points: [(0, 0), (1, 0)]), .init("b", points: [(0, 1), (1, 1)])],
      legend: .row, glyphs: .ascii, bordered: false, showAxes: false)
    expectScreen(
      rendered(chart, width: 12, height: 3),
      [
        "o..........o",
        "*..........*",
        "** a  oo b  ",
      ])
  }

  @Test func automaticTicksOnALinearChart() {
    let chart = LineChart(
      series: [.init("x", values: Array(repeating: 0.5, count: 21))], legend: .hidden,
      bordered: false, yLabelWidth: 4)
    // x spans 0…20 over 21 columns (42 dots): ticks 0, 10, 20 at columns 0, 10, 20. The flat
    // series gets the range 0.45…0.55 and its only round tick, 0.5.
    expectScreen(
      rendered(chart, width: 26, height: 4),
      [
        "    │                     ",
        " 0.5┤⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉",
        "    └┬─────────┬─────────┬",
        "     0        10        20",
      ])
  }

  @Test func tinyAndAwkwardAreas() {
    let chart = LineChart(
      series: [.init("a", values: [1, 0, 3]), .init("b", values: [.nan, 2, 2])], title: "Loss",
      badge: "LOG", yScale: .log10(floor: 1e-16), markers: [1], references: [1])
    expectScreen(rendered(chart, width: 0, height: 0), [])
    // One cell of 2×4 dots: a dips to the floor and back, b's line is the top row.
    expectScreen(rendered(chart, width: 1, height: 1), ["⢻"])
    expectScreen(
      rendered(chart, width: 2, height: 2),
      [
        "┌┐",
        "└┘",
      ])
    expectSafeInAwkwardAreas(chart)
    var row = chart
    row.legend = .row
    row.bordered = false
    expectSafeInAwkwardAreas(row)
    expectSafeInAwkwardAreas(LineChart(series: []))
  }
}
