import Testing

@testable import SPTUI

@Suite struct SparklineTests {
  @Test func oneRowRightAlignedWithLatestAtTheRightEdge() {
    let spark = Sparkline([0, 1, 2, 3, 4, 5, 6, 7])
    expectScreen(rendered(spark, width: 10, height: 1), ["  ▁▂▃▄▅▆▇█"])
  }

  @Test func gapsForNonFiniteValues() {
    let spark = Sparkline([0, .nan, 7, .infinity, 3.5])
    expectScreen(rendered(spark, width: 5, height: 1), ["▁ █ ▅"])
  }

  @Test func multiRowStacksFullBlocksUnderThePartialOne() {
    // 3 rows × 8 levels: 0 → 1 unit, 24 → 24 units, 12 → 1 + round(0.5 × 23) = 13 units.
    let spark = Sparkline([0, 12, 24, 6])
    expectScreen(
      rendered(spark, width: 4, height: 3),
      [
        "  █ ",
        " ▅█ ",
        "▁██▇",
      ])
  }

  @Test func downsamplingTakesTheMaximumOfEachBucket() {
    // 8 values into 3 columns: buckets [0, 2), [2, 5), [5, 8).
    let values: [Double] = [1, 0, 0, 8, 0, 0, 0, 4]
    let spark = Sparkline(values, min: 0, max: 8)
    #expect(spark.columns(width: 3) == [1, 8, 4])
    expectScreen(rendered(spark, width: 3, height: 1), ["▂█▅"])
    #expect(Sparkline([.nan, .nan, 1, 2]).columns(width: 2) == [nil, 2])
  }

  @Test func fixedRangeClampsValues() {
    let spark = Sparkline([-5, 0, 5, 10, 20], min: 0, max: 10)
    expectScreen(rendered(spark, width: 5, height: 1), ["▁▁▅██"])
  }

  @Test func logScaleSpreadsDecadesAndSkipsNonPositiveValues() {
    let spark = Sparkline([1, 1e-1, 1e-2, 1e-7, 0, -1], scale: .log10)
    expectScreen(rendered(spark, width: 6, height: 1), ["█▇▆▁  "])
  }

  @Test func constantSeriesSitsAtHalfHeight() {
    expectScreen(rendered(Sparkline([3, 3, 3]), width: 3, height: 1), ["▄▄▄"])
    expectScreen(
      rendered(Sparkline([3]), width: 2, height: 2),
      [
        "  ",
        " █",
      ])
  }

  @Test func asciiLevels() {
    let spark = Sparkline([0, 1, 2, 3, 4, 5, 6, 7], glyphs: .ascii)
    expectScreen(rendered(spark, width: 8, height: 1), [".:-=+*#@"])
  }

  @Test func styleIsApplied() {
    let green = Style(foreground: .green)
    let buffer = rendered(Sparkline([1, 2], style: green), width: 3, height: 1)
    #expect(buffer[2, 0].style == green && buffer[0, 0].style == green)
  }

  @Test func tinyAndAwkwardAreas() {
    expectScreen(rendered(Sparkline([1, 2, 3]), width: 1, height: 1), ["█"])
    expectScreen(rendered(Sparkline([]), width: 2, height: 1), ["  "])
    expectScreen(rendered(Sparkline([1, 2]), width: 0, height: 0), [])
    expectSafeInAwkwardAreas(Sparkline((0..<50).map(Double.init)))
  }
}
