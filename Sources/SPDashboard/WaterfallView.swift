import SPEngine
import SPTUI

/// A waterfall of a model's homogeneity error: λ across, training steps down (newest at the
/// bottom), colour for log10 of the error; two samples per cell with half blocks.
public struct WaterfallView: Widget {
  public var rows: [WaterfallRow]
  public var lambdas: [Double]
  public var title: String
  public var theme: Theme
  public var glyphs: Glyphs
  /// Errors at or below this are drawn in the floor colour.
  public var floor = 1e-17

  public init(rows: [WaterfallRow], lambdas: [Double], title: String, theme: Theme, glyphs: Glyphs)
  {
    self.rows = rows
    self.lambdas = lambdas
    self.title = title
    self.theme = theme
    self.glyphs = glyphs
  }

  /// Dark blue through green to yellow (viridis-like), as (r, g, b) stops.
  static let stops: [(Double, Double, Double)] = [
    (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
  ]

  /// The colour of a position t in [0, 1] of the scale.
  public static func color(_ t: Double) -> Color {
    let x = min(1, max(0, t.isFinite ? t : 1)) * Double(stops.count - 1)
    let i = min(stops.count - 2, Int(x))
    let f = x - Double(i)
    let a = stops[i]
    let b = stops[i + 1]
    func mix(_ u: Double, _ v: Double) -> UInt8 { UInt8((u + (v - u) * f).rounded()) }
    return .rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }

  static let asciiRamp: [Unicode.Scalar] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

  public func render(in area: Rect, into buffer: inout Buffer) {
    let block = Block(
      title: title, badge: " w ", glyphs: glyphs, borderStyle: theme.focusedBorder,
      titleStyle: theme.title, badgeStyle: theme.accent)
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    let labelWidth = 8
    let legendHeight = 2
    guard inner.width > labelWidth + 4, inner.height > legendHeight + 1 else { return }
    let plot = Rect(
      x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth,
      height: inner.height - legendHeight)
    guard !rows.isEmpty, !lambdas.isEmpty else {
      buffer.write(
        "no samples yet", x: plot.x, y: plot.y, style: theme.muted, maxWidth: plot.width)
      return
    }
    // The colour scale: log10 of the errors, floor to the largest.
    let values = rows.flatMap(\.values).filter { $0.isFinite }
    let top = log10(max(values.max() ?? 1, floor * 10))
    let bottom = log10(max(values.filter { $0 > floor }.min() ?? floor, floor))
    func position(_ v: Double) -> Double {
      guard v.isFinite else { return 1 }
      let l = log10(max(v, floor))
      return top > bottom ? (l - bottom) / (top - bottom) : 1
    }
    let samplesPerCell = glyphs.braille ? 2 : 1
    let slots = plot.height * samplesPerCell
    let shown = Array(rows.suffix(slots))
    func value(row: Int, column: Int) -> Double? {
      guard row >= 0, row < shown.count else { return nil }
      let r = shown[row].values
      guard !r.isEmpty else { return nil }
      let k = min(r.count - 1, column * r.count / plot.width)
      return r[k]
    }
    let offset = slots - shown.count
    for cy in 0..<plot.height {
      for cx in 0..<plot.width {
        let x = plot.x + cx
        let y = plot.y + cy
        if glyphs.braille {
          let upper = value(row: 2 * cy - offset, column: cx)
          let lower = value(row: 2 * cy + 1 - offset, column: cx)
          let fg = upper.map { Self.color(position($0)) } ?? theme.background
          let bg = lower.map { Self.color(position($0)) } ?? theme.background
          buffer[x, y] = Cell("▀", style: Style(foreground: fg, background: bg))
        } else if let v = value(row: cy - offset, column: cx) {
          let t = min(1, max(0, position(v)))
          let i = min(Self.asciiRamp.count - 1, t.isNaN ? 0 : Int(t * Double(Self.asciiRamp.count)))
          buffer[x, y] = Cell(Self.asciiRamp[i], style: theme.text)
        }
      }
    }
    // Step labels on the left: the oldest and newest rows shown.
    let first = shown.first!.step
    let last = shown.last!.step
    buffer.write(
      NumberFormat.compact(Double(first)), x: inner.x, y: plot.y + offset / samplesPerCell,
      style: theme.label, maxWidth: labelWidth - 1)
    buffer.write(
      NumberFormat.compact(Double(last)), x: inner.x, y: plot.bottom - 1, style: theme.label,
      maxWidth: labelWidth - 1)
    buffer.write("step", x: inner.x, y: plot.y + plot.height / 2, style: theme.muted)
    // λ ticks and the colour legend under the plot.
    let axisY = plot.bottom
    let lo = lambdas.first ?? -10
    let hi = lambdas.last ?? 10
    for tick in [lo, 0, hi] where hi > lo {
      let f = (tick - lo) / (hi - lo)
      guard f.isFinite else { continue }
      let cx = Int((min(1, max(0, f)) * Double(plot.width - 1)).rounded())
      let label = NumberFormat.compact(tick)
      let x = min(plot.right - label.count, max(plot.x, plot.x + cx - label.count / 2))
      buffer.write(label, x: x, y: axisY, style: theme.label)
    }
    let legendY = axisY + 1
    // The colour legend: what it is, the lowest value, the ramp, the highest value. The words
    // give way (to shorter ones, then none) before the values or the ramp are cut.
    let low = NumberFormat.compact(pow(10, bottom)) + " "
    let high = " " + NumberFormat.compact(pow(10, top))
    let arrow = glyphs.braille ? "λ →   " : "lambda ->   "
    let words = [arrow + "error (log colour scale) ", arrow + "error, log scale ", "error ", ""]
    let fixed = low.count + high.count + 6
    let label = words.first { $0.unicodeScalars.count + fixed <= inner.width } ?? ""
    var x = buffer.write(
      label, x: inner.x, y: legendY, style: theme.muted, maxWidth: inner.width)
    x = buffer.write(low, x: x, y: legendY, style: theme.label)
    let legendWidth = max(0, min(20, inner.right - x - high.count))
    for k in 0..<legendWidth {
      let t = legendWidth > 1 ? Double(k) / Double(legendWidth - 1) : 1
      if glyphs.braille {
        buffer[x + k, legendY] = Cell("█", style: Style(foreground: Self.color(t)))
      } else {
        let i = min(Self.asciiRamp.count - 1, Int(t * Double(Self.asciiRamp.count)))
        buffer[x + k, legendY] = Cell(Self.asciiRamp[i], style: theme.text)
      }
    }
    buffer.write(high, x: x + legendWidth, y: legendY, style: theme.label)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
