import Testing

@testable import SPTUI

@Suite struct ChartAxisTests {
  @Test func niceTicksAreRoundNumbersInsideTheRange() {
    #expect(ChartAxis.niceTicks(lower: -10, upper: 10, approximately: 2) == [-10, 0, 10])
    // steps of 1, 2 or 5 × 10^k, at least the range over `count`
    #expect(ChartAxis.niceTicks(lower: 0, upper: 1, approximately: 4) == [0, 0.5, 1])
    #expect(
      ChartAxis.niceTicks(lower: 0, upper: 1, approximately: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(
      ChartAxis.niceTicks(lower: 0.013, upper: 0.97, approximately: 8) == [0.2, 0.4, 0.6, 0.8])
    #expect(ChartAxis.niceTicks(lower: 0.1, upper: 0.3, approximately: 2) == [0.1, 0.2, 0.3])
    #expect(
      ChartAxis.niceTicks(lower: 0, upper: 5000, approximately: 5)
        == [0, 1000, 2000, 3000, 4000, 5000])
    #expect(ChartAxis.niceTicks(lower: -3, upper: 17, approximately: 4) == [0, 5, 10, 15])
    #expect(ChartAxis.niceTicks(lower: 5, upper: 5, approximately: 3) == [5])
    #expect(ChartAxis.niceTicks(lower: .nan, upper: 1, approximately: 3).isEmpty)
    // Far from zero the tick indices would not fit an Int: no ticks rather than a trap.
    #expect(ChartAxis.niceTicks(lower: 1e20, upper: 1e20 + 1e4, approximately: 3).isEmpty)
    // Ticks whose labels would need more than 14 digits to be exact: none, not rounded labels.
    #expect(ChartAxis.niceTicks(lower: 1e20, upper: 1e20 + 1e6, approximately: 2).isEmpty)
    #expect(ChartAxis.niceTicks(lower: 1e12, upper: 1e12 + 10, approximately: 2).count == 3)
  }

  @Test func logTicksAreDecadesThinnedFromTheTop() {
    let axis = ChartAxis(range: 1e-6...1, scale: .log10(floor: 1e-16))
    #expect(axis.lower == -6 && axis.upper == 0)
    #expect(
      axis.ticks(approximately: 3).map { NumberFormat.compact($0) } == [
        "1e-6", "1e-4", "0.01", "1",
      ])
    #expect(axis.ticks(approximately: 6).count == 7)
  }

  @Test func fittingALogAxisStartsAtTheFloorOnlyWhenValuesAreClamped() {
    let clamped = ChartAxis.fitting([1, 0.5, 0, 1e-3, .nan], scale: .log10(floor: 1e-16))
    #expect(clamped.lower == -16 && clamped.upper == 0)
    let free = ChartAxis.fitting([0.5, 2e-3], scale: .log10(floor: 1e-16))
    #expect(free.lower == -3 && free.upper == 0)
    let odd = ChartAxis.fitting([30, -1], scale: .log10(floor: 3e-5))
    #expect(odd.lower == ScaleMath.lg(3e-5) && odd.upper == 2)
  }

  @Test func fittingALinearAxisAndDegenerateRanges() {
    let axis = ChartAxis.fitting([3, -2, .infinity, 7], scale: .linear)
    #expect(axis.lower == -2 && axis.upper == 7)
    let flat = ChartAxis.fitting([3, 3], scale: .linear)
    #expect(flat.lower < 3 && flat.upper > 3)
    let empty = ChartAxis.fitting([], scale: .linear)
    #expect(empty.lower == 0 && empty.upper == 1)
  }

  @Test func valuesMapToDots() {
    let axis = ChartAxis(range: 0...10, scale: .linear)
    #expect(axis.dot(of: 5, dots: 11) == 5)
    #expect(axis.dot(of: 10.4, dots: 11) == 10)
    #expect(axis.dot(of: 11, dots: 11) == nil)
    #expect(axis.dot(of: -1, dots: 11) == nil)
    #expect(axis.dot(of: .nan, dots: 11) == nil)
    #expect(axis.position(of: 2.5, dots: 5) == 1)
    let log = ChartAxis(range: 1e-16...1, scale: .log10(floor: 1e-16))
    #expect(log.dot(of: 0, dots: 17) == 0)
    #expect(log.dot(of: -3, dots: 17) == 0)
    #expect(log.dot(of: 1e-8, dots: 17) == 8)
    #expect(log.dot(of: 1, dots: 17) == 16)
  }

  @Test func clampingIsAtOrBelowTheFloor() {
    let log = ChartAxis(range: 1e-16...1, scale: .log10(floor: 1e-16))
    #expect(log.isClamped(0) && log.isClamped(1e-16) && log.isClamped(-5))
    #expect(!log.isClamped(2e-16) && !log.isClamped(.nan))
    #expect(!ChartAxis(range: 0...1, scale: .linear).isClamped(-5))
    #expect(log.scaled(0) == -16 && log.scaled(.infinity) == nil)
  }
}

@Suite struct DotCanvasTests {
  @Test func brailleBitsFollowTheDotNumbering() {
    var canvas = DotCanvas(columns: 1, rows: 1, braille: true)
    canvas.set(x: 1, y: 3, series: 0, point: false)
    #expect(canvas.symbol(column: 0, row: 0, glyphs: .unicode) == "\u{2880}")
    for x in 0..<2 {
      for y in 0..<4 { canvas.set(x: x, y: y, series: 0, point: false) }
    }
    #expect(canvas.symbol(column: 0, row: 0, glyphs: .unicode) == "⣿")
    canvas.set(x: 2, y: 0, series: 1, point: false)  // off the canvas: ignored
    #expect(canvas.series(column: 0, row: 0) == 0)
  }

  @Test func clippingKeepsThePartInside() {
    let inside = DotCanvas.clip((-2, 1), (6, 1), maxX: 3, maxY: 3)
    #expect(inside.map { [$0.0.x, $0.0.y, $0.1.x, $0.1.y] } == [0, 1, 3, 1])
    #expect(DotCanvas.clip((-2, -1), (-1, 5), maxX: 3, maxY: 3) == nil)
    #expect(DotCanvas.clip((0, 0), (.infinity, 0), maxX: 3, maxY: 3) == nil)
  }

  @Test func asciiCanvasMarksPointsAndLines() {
    var canvas = DotCanvas(columns: 3, rows: 1, braille: false)
    canvas.line(from: (0, 0), to: (2, 0), series: 0)
    let symbols = (0..<3).map { canvas.symbol(column: $0, row: 0, glyphs: .ascii) }
    #expect(symbols == ["*", ".", "*"])
  }
}
