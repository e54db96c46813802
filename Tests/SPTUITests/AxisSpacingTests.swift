import Testing

@testable import SPTUI

/// Tick labels never touch or crowd: over many chart sizes and ranges, y labels keep an empty row
/// between them, x labels two empty columns, and every label reads its tick exactly.
@Suite struct AxisSpacingTests {
  /// Log ranges as (lowest, highest) decade, with and without values clamped to the floor.
  static let logRanges: [(low: Int, high: Int)] = [
    1, 2, 3, 4, 5, 7, 9, 10, 13, 16, 17, 20, 25, 33, 50, 75, 100, 150, 200, 250, 300,
  ].flatMap { d in [(-d, 0), (-d + 4, 4)].filter { $0.0 >= -300 } }

  /// Linear ranges: tiny, huge, far from zero, across zero.
  static let linearRanges: [(Double, Double)] = [
    (0, 1), (0, 0.7), (-3, 17), (0, 5000), (0, 1e-12), (1e-300, 3e-300), (-5e300, 5e300),
    (1e6, 1e6 + 3), (0.1234, 0.1235), (1e20, 1e20 + 1e6), (-0.002, 0.013), (0.45, 0.55),
    (17, 1_234_567), (-1e-7, 1e-7), (999, 1001), (0, 1e15),
  ]

  /// The rows whose first `width` cells (the y labels) show something.
  static func labelRows(_ lines: [String], width: Int) -> [Int] {
    lines.indices.filter { lines[$0].unicodeScalars.prefix(width).contains { $0 != " " } }
  }

  /// The runs of non-blank cells of a row, as (start, end) with end exclusive, and their text.
  static func runs(_ line: String) -> [(start: Int, end: Int, text: String)] {
    var out: [(Int, Int, String)] = []
    var current: (Int, String)?
    for (i, c) in line.unicodeScalars.enumerated() {
      if c == " " {
        if let (s, t) = current { out.append((s, i, t)) }
        current = nil
      } else {
        current = current.map { ($0.0, $0.1 + String(c)) } ?? (i, String(c))
      }
    }
    if let (s, t) = current { out.append((s, line.unicodeScalars.count, t)) }
    return out
  }

  /// A label's value: "1.5k" is 1.5e3, "≤1e-17" is 1e-17, "-2e-5" is -2e-5.
  static func value(of label: String) -> Double? {
    var text = label
    for prefix in ["≤", "<="] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
    let suffixes: [Character: String] = ["k": "e3", "M": "e6", "G": "e9", "T": "e12"]
    if let last = text.last, let exponent = suffixes[last] {
      text.removeLast()
      return Double(text + exponent)
    }
    return Double(text)
  }

  func check(_ chart: LineChart, width: Int, height: Int, context: String) {
    let buffer = rendered(chart, width: width, height: height)
    let lines = buffer.lines
    let labelWidth = chart.yLabelWidth
    // y labels: the plot's rows, never two on adjacent rows, each a number.
    let plotRows = Array(lines.prefix(max(0, height - 2)))
    let rows = Self.labelRows(plotRows, width: labelWidth)
    for (a, b) in zip(rows, rows.dropFirst()) {
      #expect(b - a >= 2, "y labels on rows \(a) and \(b) (\(context))\n\(framed(lines))")
    }
    for r in rows {
      let text = String(String.UnicodeScalarView(plotRows[r].unicodeScalars.prefix(labelWidth)))
      let label = text.filter { $0 != " " }
      #expect(Self.value(of: label) != nil, "y label '\(label)' (\(context))")
    }
    // x labels: the bottom row, two empty columns between labels, each a number.
    guard height >= 3, let last = lines.last else { return }
    let labels = Self.runs(last)
    for (a, b) in zip(labels, labels.dropFirst()) {
      #expect(
        b.start - a.end >= 2, "x labels '\(a.text)' '\(b.text)' (\(context))\n\(framed(lines))")
    }
    for l in labels { #expect(Self.value(of: l.text) != nil, "x label '\(l.text)' (\(context))") }
  }

  @Test func logYLabelsKeepAnEmptyRowBetweenThem() {
    for (low, high) in Self.logRanges {
      for clamped in [false, true] {
        let floor = clamped ? ScaleMath.tenTo(Double(low)) : 1e-308
        var values = [ScaleMath.tenTo(Double(low)), ScaleMath.tenTo(Double(high))]
        if clamped { values.append(0) }
        let chart = LineChart(
          series: [.init("e", values: values)], yScale: .log10(floor: floor), legend: .hidden,
          bordered: false, yLabelWidth: 7)
        for height in 3...60 {
          check(
            chart, width: 30, height: height, context: "1e\(low)…1e\(high) \(clamped) h\(height)")
        }
      }
    }
  }

  @Test func linearLabelsKeepTheirDistanceOnBothAxes() {
    for (a, b) in Self.linearRanges {
      let chart = LineChart(
        series: [.init("e", points: [(a, a), (b, b)])], legend: .hidden, bordered: false,
        yLabelWidth: 7)
      for height in 3...60 {
        check(chart, width: 24, height: height, context: "\(a)…\(b) h\(height)")
      }
      for width in [9, 12, 15, 20, 31, 47, 64, 80, 119, 160, 200] {
        check(chart, width: width, height: 6, context: "\(a)…\(b) w\(width)")
      }
    }
  }

  /// The λ panel's shape: 17 decades down to a clamped floor, x ticks given by the caller.
  @Test func theLambdaPanelLabelsEnoughDecadesAtEverySize() {
    let chart = LineChart(
      series: [.init("h", points: [(-10, 1), (0, 0), (10, 0.5)])], xRange: -10...10,
      yScale: .log10(floor: 1e-17), xTicks: [-10, 0, 10], legend: .hidden, bordered: false)
    for height in 3...60 {
      for width in [20, 34, 50, 80] {
        check(chart, width: width, height: height, context: "λ panel \(width)×\(height)")
      }
      let lines = rendered(chart, width: 40, height: height).lines
      let rows = Self.labelRows(Array(lines.prefix(height - 2)), width: 7)
      // the floor and the top once the plot has three rows, more as it grows
      #expect(rows.count >= (height >= 20 ? 4 : height >= 5 ? 2 : 1), "h\(height): \(rows)")
    }
  }

  @Test func labelsReadTheirTicksExactly() {
    var checked = 0
    for (a, b) in Self.linearRanges {
      for count in 1...40 {
        for t in ChartAxis.niceTicks(lower: a, upper: b, approximately: count) {
          let label = ChartAxis.label(t)
          #expect(Self.value(of: label) == t, "\(t) reads '\(label)'")
          checked += 1
        }
      }
    }
    #expect(checked > 1000)
    // a tick of seven digits shows them all rather than a rounder number
    #expect(ChartAxis.label(1_000_001) == "1.000001M")
    #expect(ChartAxis.label(0.1234) == "0.1234")
    #expect(ChartAxis.label(1e-5) == "1e-5")
  }

  @Test func logStepsAreOneTwoOrFiveDecades() {
    for (low, high) in Self.logRanges {
      let axis = ChartAxis(
        scaledLower: Double(low), scaledUpper: Double(high), scale: .log10(floor: 0))
      for count in 1...30 {
        let decades = axis.ticks(approximately: count).map { ScaleMath.lg($0).rounded() }
        let steps = Set(zip(decades, decades.dropFirst()).map { $0.1 - $0.0 })
        #expect(steps.count <= 1)
        if let step = steps.first {
          let mantissa = step / ScaleMath.tenTo(ScaleMath.lg(step).rounded(.down))
          #expect([1, 2, 5].contains(mantissa), "step \(step)")
          #expect(decades.allSatisfy { $0.truncatingRemainder(dividingBy: step) == 0 })
        }
      }
    }
  }
}
