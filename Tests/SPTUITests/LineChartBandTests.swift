import Testing

@testable import SPTUI

/// Shaded bands behind a chart's series: the cells between two curves, where no series is.
@Suite struct LineChartBandTests {
  func chart(_ series: [LineChart.Series], bands: [LineChart.Band]) -> LineChart {
    var c = LineChart(
      series: series, xRange: 0...9, yRange: 0...9, legend: .hidden, glyphs: .ascii,
      bordered: false, showAxes: false)
    c.bands = bands
    return c
  }

  @Test func aBandShadesTheCellsBetweenItsCurves() {
    let lower = (0...9).map { (x: Double($0), y: 2.0) }
    let upper = (0...9).map { (x: Double($0), y: 5.0) }
    let c = chart(
      [], bands: [LineChart.Band(lower: lower, upper: upper, glyph: ":", style: .plain)])
    let lines = rendered(c, width: 10, height: 10).lines
    // y 9 is the top row, y 0 the bottom: rows 4…7 are between 5 and 2.
    for (row, line) in lines.enumerated() {
      #expect(line == String(repeating: (4...7).contains(row) ? ":" : " ", count: 10), "row \(row)")
    }
  }

  @Test func seriesDrawOverTheBandAndLaterBandsOverEarlier() {
    let flat = { (y: Double) in (0...9).map { (x: Double($0), y: y) } }
    let c = chart(
      [LineChart.Series("median", points: flat(4))],
      bands: [
        LineChart.Band(lower: flat(0), upper: flat(9), glyph: ".", style: .plain),
        LineChart.Band(lower: flat(3), upper: flat(5), glyph: ":", style: .plain),
      ])
    let lines = rendered(c, width: 10, height: 10).lines
    #expect(lines[0] == "..........")
    #expect(lines[4] == "::::::::::")
    #expect(!lines[5].contains(":") && !lines[5].contains("."), "the series' row: \(lines[5])")
    #expect(lines[6] == "::::::::::")
    #expect(lines[9] == "..........")
  }

  @Test func theAxisFitsTheBands() {
    var c = LineChart(series: [LineChart.Series("m", points: [(0, 1), (1, 1)])])
    c.bands = [
      LineChart.Band(
        lower: [(0, 0.5), (1, 0.5)], upper: [(0, 40), (1, 40)], glyph: ":", style: .plain)
    ]
    #expect(c.yAxis.upper >= 40)
  }

  @Test func unnamedSeriesHaveNoLegendEntry() {
    let c = LineChart(
      series: [
        LineChart.Series("", points: [(0, 0), (1, 1)]),
        LineChart.Series("median", points: [(0, 1), (1, 0)]),
      ], xRange: 0...1, yRange: 0...1, legend: .row, glyphs: .ascii, bordered: false,
      showAxes: false)
    let last = rendered(c, width: 20, height: 4).lines.last ?? ""
    // Only the named series, with its own sample (series 1's): the trace left no entry.
    #expect(last.hasPrefix(Glyphs.ascii.legendSample(series: 1) + " median "), "\(last)")
  }
}
