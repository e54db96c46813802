import Testing

@testable import SPTUI

/// The cursor's arithmetic: columns to x values and back as the chart draws them, and lines cut
/// visibly.
@Suite struct ChartCursorTests {
  @Test func columnsAndValuesAgreeWithTheChart() {
    for dots in [1, 2] {
      let scale = ColumnScale(range: 0...400, columns: 59, dotsPerColumn: dots)
      let chart = LineChart(series: [], xRange: 0...400)
      let canvas = DotCanvas(columns: 59, rows: 4, braille: dots == 2)
      for c in 0..<59 {
        let x = scale.x(ofColumn: c)
        #expect(scale.column(of: x) == c)
        #expect(chart.column(ofX: x, axis: chart.xAxis, canvas: canvas) == c)
      }
      // One column on, never the same step; clamped at the ends.
      var x = 0.0
      for _ in 0..<100 {
        let next = scale.moved(x, by: 1, integral: true)
        #expect(next > x || x == 400)
        #expect(next == next.rounded() && next <= 400)
        x = next
      }
      #expect(scale.moved(0, by: -5, integral: true) == 0)
    }
    // Columns finer than the steps: each move still moves a step.
    let fine = ColumnScale(range: 0...10, columns: 100, dotsPerColumn: 2)
    #expect(fine.moved(5, by: 1, integral: true) == 6)
  }

  @Test func aLineIsCutWithAnEllipsisNeverShort() {
    let line = Line([Span("━━", style: .plain), Span(" loss "), Span("1.23e-04")])
    #expect(line.truncated(to: 16, ellipsis: "…") == line)
    let cut = line.truncated(to: 12, ellipsis: "…")
    #expect(cut.spans.map(\.text).joined() == "━━ loss 1.2…")
    #expect(cut.width == 12)
    // Cut at a span's end: the ellipsis takes its last cell.
    #expect(line.truncated(to: 8, ellipsis: "…").spans.map(\.text).joined() == "━━ loss…")
    #expect(line.truncated(to: 0, ellipsis: "…").width == 0)
  }
}
