/// A small bar chart of a series, latest value at the right edge, in block glyphs.
///
/// Non-finite values are gaps (and, on the log scale, values ≤ 0). With more values than
/// columns the series is bucketed: column c shows the maximum of values
/// `[c·n/w, (c+1)·n/w)`, so spikes survive downsampling. With fewer values than columns they
/// are drawn right-aligned and the left columns stay blank. The range is `min`…`max` when given,
/// else that of all the values; a constant series sits at half height. Every finite value
/// shows at least the lowest level. Taller sparklines stack full blocks under the top level.
public struct Sparkline: Widget {
  /// How values map to bar heights.
  public enum Scale: Hashable, Sendable {
    case linear
    case log10
  }

  public var values: [Double]
  public var scale: Scale
  /// Fixed bottom of the range (a value at or below it draws the lowest level).
  public var min: Double?
  /// Fixed top of the range (a value at or above it fills the column).
  public var max: Double?
  public var style: Style
  public var glyphs: Glyphs

  public init(
    _ values: [Double], scale: Scale = .linear, min: Double? = nil, max: Double? = nil,
    style: Style = .plain, glyphs: Glyphs = .unicode
  ) {
    self.values = values
    self.scale = scale
    self.min = min
    self.max = max
    self.style = style
    self.glyphs = glyphs
  }

  /// The value each of `width` columns shows, left to right (nil: a gap), before scaling.
  public func columns(width: Int) -> [Double?] {
    guard width > 0 else { return [] }
    let n = values.count
    var out = [Double?](repeating: nil, count: width)
    if n <= width {
      for i in 0..<n where isDrawable(values[i]) { out[width - n + i] = values[i] }
      return out
    }
    for c in 0..<width {
      var best: Double?
      for i in (c * n / width)..<((c + 1) * n / width) where isDrawable(values[i]) {
        if best == nil || values[i] > best! { best = values[i] }
      }
      out[c] = best
    }
    return out
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty else { return }
    buffer.fill(area, with: Cell(" ", style: style))
    let cols = columns(width: area.width).map { $0.map(transform) }
    var lo = min.flatMap(scaled)
    var hi = max.flatMap(scaled)
    if lo == nil || hi == nil {
      var low = Double.infinity
      var high = -Double.infinity
      for v in values where isDrawable(v) {
        let s = transform(v)
        low = Swift.min(low, s)
        high = Swift.max(high, s)
      }
      if low <= high {
        lo = lo ?? low
        hi = hi ?? high
      }
    }
    guard let lo, let hi else { return }
    let levels = glyphs.sparkLevels
    let perRow = levels.count
    let total = area.height * perRow
    for (c, value) in cols.enumerated() {
      guard let value else { continue }
      let units: Int
      if hi > lo {
        let f = Swift.min(1, Swift.max(0, (value - lo) / (hi - lo)))
        units = 1 + Int((f * Double(total - 1)).rounded())
      } else {
        units = (total + 1) / 2
      }
      for r in 0..<area.height {
        let inCell = Swift.min(perRow, units - r * perRow)
        if inCell <= 0 { break }
        buffer[area.left + c, area.bottom - 1 - r] = Cell(levels[inCell - 1], style: style)
      }
    }
  }

  private func isDrawable(_ v: Double) -> Bool {
    v.isFinite && (scale == .linear || v > 0)
  }

  private func transform(_ v: Double) -> Double {
    scale == .linear ? v : ScaleMath.lg(v)
  }

  private func scaled(_ v: Double) -> Double? {
    isDrawable(v) ? transform(v) : nil
  }
}
