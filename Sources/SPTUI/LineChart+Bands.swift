/// Shaded bands behind a chart's series: the spread of an ensemble between two curves (an
/// interquartile range, a min–max range), filled cell by cell with a shade glyph where no
/// series is drawn.
extension LineChart {
  /// The cells between `lower` and `upper` (two curves over the same x values) shaded with
  /// `glyph` in `style`.
  public struct Band: Sendable {
    public var lower: [(x: Double, y: Double)]
    public var upper: [(x: Double, y: Double)]
    public var glyph: Unicode.Scalar
    public var style: Style

    public init(
      lower: [(x: Double, y: Double)], upper: [(x: Double, y: Double)], glyph: Unicode.Scalar,
      style: Style
    ) {
      self.lower = lower
      self.upper = upper
      self.glyph = glyph
      self.style = style
    }
  }

  /// The cells each band covers, later bands over earlier ones: for every pair of neighbouring
  /// x values, the dot columns between them with the lower and upper curve interpolated; each
  /// dot column's span (from the lowest to the highest value it got) marked in the cells it
  /// crosses. The spans are gathered first and the cells marked once per dot column: with an
  /// ensemble's thousand points a curve, marking every pair's cells took a millisecond a frame.
  /// Cells are (column, row) of the plot.
  static func bandCells(
    _ bands: [Band], columns: Int, rows: Int, dotsPerColumn: Int, dotsPerRow: Int,
    xAxis: ChartAxis, yAxis: ChartAxis
  ) -> [Int: Int] {
    var owner: [Int: Int] = [:]
    let width = columns * dotsPerColumn
    let height = rows * dotsPerRow
    guard width > 0, height > 0 else { return owner }
    var top = [Double](repeating: .infinity, count: width)
    var bottom = [Double](repeating: -.infinity, count: width)
    for (k, band) in bands.enumerated() {
      let pairs = zip(band.lower, band.upper).compactMap {
        lo, hi -> (x: Double, lo: Double, hi: Double)? in
        guard lo.x == hi.x, let px = xAxis.position(of: lo.x, dots: width),
          let a = yAxis.position(of: lo.y, dots: height),
          let b = yAxis.position(of: hi.y, dots: height)
        else { return nil }
        return (px, Double(height - 1) - a, Double(height - 1) - b)
      }
      for i in 0..<width {
        top[i] = .infinity
        bottom[i] = -.infinity
      }
      func span(_ x: Double, _ y0: Double, _ y1: Double) {
        let dx = Int(x.rounded())
        guard dx >= 0, dx < width else { return }
        top[dx] = Swift.min(top[dx], y0, y1)
        bottom[dx] = Swift.max(bottom[dx], y0, y1)
      }
      for (a, b) in zip(pairs, pairs.dropFirst()) {
        let from = Int(a.x.rounded())
        let to = Int(b.x.rounded())
        if from == to {
          span(a.x, Swift.min(a.lo, b.lo), Swift.max(a.hi, b.hi))
          continue
        }
        for dx in Swift.min(from, to)...Swift.max(from, to) {
          let t = (Double(dx) - a.x) / (b.x - a.x)
          let lo = a.lo + t * (b.lo - a.lo)
          let hi = a.hi + t * (b.hi - a.hi)
          span(Double(dx), lo, hi)
        }
      }
      if pairs.count == 1, let only = pairs.first { span(only.x, only.lo, only.hi) }
      for dx in 0..<width where top[dx] <= bottom[dx] {
        let first = Int(Swift.max(0, top[dx]).rounded())
        let last = Int(Swift.min(Double(height - 1), bottom[dx]).rounded())
        guard first <= last else { continue }
        let column = dx / dotsPerColumn
        for row in (first / dotsPerRow)...(last / dotsPerRow) {
          owner[row * columns + column] = k
        }
      }
    }
    return owner
  }
}
