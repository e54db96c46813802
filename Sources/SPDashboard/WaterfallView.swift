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
  /// The inspection cursor's λ (nil: none): a column down the plot, a mark at its row of
  /// samples, and a readout of λ, step and error there.
  public var cursor: Double?
  /// The cursor's row of samples from the newest (0).
  public var cursorRow = 0

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

  static let labelWidth = 8
  static let legendHeight = 2

  /// The cells the samples are drawn in when the waterfall fills `area` (empty when too small).
  public static func plotArea(in area: Rect) -> Rect {
    let inner = Block(title: "", glyphs: .unicode).inner(of: area)
    guard inner.width > labelWidth + 4, inner.height > legendHeight + 1 else {
      return Rect(x: inner.x, y: inner.y, width: 0, height: 0)
    }
    return Rect(
      x: inner.x + labelWidth, y: inner.y, width: inner.width - labelWidth,
      height: inner.height - legendHeight)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    let block = Block(
      title: title, badge: " w ", glyphs: glyphs, borderStyle: theme.focusedBorder,
      titleStyle: theme.title, badgeStyle: theme.accent)
    block.render(in: area, into: &buffer)
    let inner = block.inner(of: area)
    let labelWidth = Self.labelWidth
    let plot = Self.plotArea(in: area)
    guard plot.width > 0 else { return }
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
    if let cursor {
      drawCursor(
        at: cursor, plot: plot, shown: shown, slots: slots, samplesPerCell: samplesPerCell,
        into: &buffer)
    }
  }

  /// The cursor: its column down the plot (over the colours), a mark left of its row of
  /// samples, and the readout — λ, step and error there — at the plot's top, away from it.
  func drawCursor(
    at lambda: Double, plot: Rect, shown: [WaterfallRow], slots: Int, samplesPerCell: Int,
    into buffer: inout Buffer
  ) {
    let lo = lambdas.first ?? -10
    let hi = lambdas.last ?? 10
    let scale = ColumnScale(range: lo...max(hi, lo + 1), columns: plot.width, dotsPerColumn: 1)
    let cx = scale.column(of: lambda)
    let symbol: Unicode.Scalar = glyphs.braille ? "│" : "|"
    for cy in 0..<plot.height {
      let under = buffer[plot.x + cx, plot.y + cy].style
      buffer[plot.x + cx, plot.y + cy] = Cell(
        symbol,
        style: Style(
          foreground: theme.accent.foreground,
          background: glyphs.braille ? under.background : theme.background, attributes: .bold))
    }
    let row = shown.count - 1 - min(max(0, cursorRow), max(0, shown.count - 1))
    guard row >= 0, row < shown.count else { return }
    let sample = shown[row]
    let offset = slots - shown.count
    let cellRow = (row + offset) / samplesPerCell
    buffer[plot.x - 1, plot.y + cellRow] = Cell(
      glyphs.braille ? "▶" : ">", style: theme.accent)
    guard !sample.values.isEmpty else { return }
    let k = min(sample.values.count - 1, cx * sample.values.count / plot.width)
    let lambdaShown = lambdas.indices.contains(k) ? lambdas[k] : lambda
    let lines = [
      Line([
        Span(glyphs.braille ? "λ " : "lambda ", style: theme.muted),
        Span(NumberFormat.compact(lambdaShown, significantDigits: 3), style: theme.text),
      ]),
      Line([Span("step ", style: theme.muted), Span("\(sample.step)", style: theme.text)]),
      Line([
        Span("error ", style: theme.muted),
        Span(
          NumberFormat.sci(sample.values[k], digits: 3, nonFinite: glyphs.missing),
          style: theme.text),
      ]),
    ]
    let width = min(plot.width, (lines.map(\.width).max() ?? 0) + 2)
    let height = min(plot.height, lines.count)
    var x = plot.right - width
    if plot.x + cx >= x, cx >= width { x = plot.x }
    let box = Rect(x: x, y: plot.y, width: width, height: height)
    buffer.fill(box, with: Cell(" ", style: theme.text.with(background: theme.background)))
    for (r, line) in lines.prefix(height).enumerated() {
      buffer.write(
        line.truncated(to: width - 2, ellipsis: glyphs.ellipsis), x: box.x + 1, y: box.y + r,
        maxWidth: width - 2)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
