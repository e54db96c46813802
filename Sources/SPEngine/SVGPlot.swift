import Foundation
import SPTUI

/// A standalone SVG line chart for papers: axes with ticks and labels, a legend, a linear x axis
/// and a log10 (or linear) y axis. Values at or below the log floor are drawn at the floor.
public struct SVGPlot: Sendable {
  public struct Series: Sendable {
    public var name: String
    public var color: String
    public var points: [(x: Double, y: Double)]
    /// Drawn thin and faint behind the others (a smoothed curve's raw values), with no legend
    /// entry.
    public var faint: Bool
    public init(
      name: String, color: String, points: [(x: Double, y: Double)], faint: Bool = false
    ) {
      self.name = name
      self.color = color
      self.points = points
      self.faint = faint
    }
  }

  /// A shaded region between two curves (an ensemble's quartiles or extremes), drawn behind
  /// every line, with no legend entry (a note says what the bands are).
  public struct Band: Sendable {
    public var name: String
    public var color: String
    public var opacity: Double
    public var lower: [(x: Double, y: Double)]
    public var upper: [(x: Double, y: Double)]
    public init(
      name: String, color: String, opacity: Double, lower: [(x: Double, y: Double)],
      upper: [(x: Double, y: Double)]
    ) {
      self.name = name
      self.color = color
      self.opacity = opacity
      self.lower = lower
      self.upper = upper
    }

    /// Both edges' points.
    var points: [(x: Double, y: Double)] { lower + upper }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var logY = true
  public var floor = 1e-17
  public var width = 720.0
  public var height = 450.0
  /// Lines of text under the legend's entries (what a smoothed figure shows).
  public var notes: [String] = []
  /// Shaded regions behind the curves, in order (the first furthest back).
  public var bands: [Band] = []
  /// The x axis's extent when given (a chart's range of steps), else the points'.
  public var xDomain: ClosedRange<Double>?
  /// Ticks with labels of their own in place of the computed ones (a sweep's swept values);
  /// every second one is left out, then every third…, until no two labels touch.
  public var xTickLabels: [(value: Double, label: String)]?

  public init(title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool = true) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.logY = logY
  }

  /// Colours for curves, in order (colour-blind-safe Okabe–Ito palette).
  public static let palette = [
    "#D55E00", "#E69F00", "#009E73", "#0072B2", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
  ]

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// The shortest text that reads back as `v` exactly: plain decimals for 0.001 ≤ |v| < 10⁵,
  /// else `2.5e6`, `1e-5` (never a rounder, different number).
  public static func label(_ v: Double) -> String {
    if v == 0 || !v.isFinite { return v == 0 ? "0" : "\(v)" }
    var digits = 1
    while digits < 17, Double(String(format: "%.\(digits - 1)e", v)) != v { digits += 1 }
    let exponent = Int(log10(abs(v)).rounded(.down))
    let sci = String(format: "%.\(digits - 1)e", v)
    // %e's exponent is the decimal one of the rounded mantissa (9.99…e2 may print 1.0e3)
    let parts = sci.split(separator: "e")
    let e = Int(parts[1]) ?? exponent
    if abs(v) >= 1e-3 && abs(v) < 1e5 {
      return String(format: "%.\(max(0, digits - 1 - e))f", v)
    }
    return "\(parts[0])e\(e)"
  }

  /// A step of the 1-2-5 sequence: `mult` × 10^`exponent`.

  /// Round numbers between a and b, about `count` intervals apart (1-2-5 × 10^k).
  static func niceTicks(_ a: Double, _ b: Double, count: Int = 6) -> [Double] {
    guard b > a, a.isFinite, b.isFinite else { return [a] }
    let raw = (b / 2 - a / 2) / Double(max(1, count)) * 2
    guard raw.isFinite, raw > 0 else { return [a, b] }
    return niceTicks(a, b, step: TickStep(atLeast: raw))
  }

  /// The multiples of `step` in a…b, each the double nearest its decimal k·mult·10^exponent
  /// (read from that decimal: one rounding, so labels read it exactly). Bounded for any finite
  /// a < b: at most 64 ticks, none where k·mult would need more than 15 digits (below the
  /// rounding of the values, a = 1e16).
  static func niceTicks(_ a: Double, _ b: Double, step: TickStep) -> [Double] {
    let value = step.value
    guard value.isFinite, value > 0 else { return [] }
    let first = (a / value - 1e-9).rounded(.up)
    let last = (b / value + 1e-9).rounded(.down)
    guard first <= last, last - first < 64, max(abs(first), abs(last)) * Double(step.mult) < 1e15
    else { return [] }
    return stride(from: first, through: last, by: 1).compactMap { k in
      let n = Int(k * Double(step.mult))
      return n == 0 ? 0 : Double("\(n)e\(step.exponent)")
    }
  }

  /// The finest ticks, from the step nearest to `count` intervals coarser, that `accept`
  /// takes (none when none is taken).
  static func ticks(
    _ a: Double, _ b: Double, count: Int, minimumStep: Double = 0,
    where accept: ([Double]) -> Bool
  ) -> [Double] {
    guard b > a, a.isFinite, b.isFinite else { return accept([a]) ? [a] : [] }
    var step = TickStep(nearest: max(minimumStep, (b / 2 - a / 2) / Double(max(1, count)) * 2))
    for _ in 0..<80 {
      let ticks = niceTicks(a, b, step: step)
      if !ticks.isEmpty, accept(ticks) { return ticks }
      if ticks.count == 1 { break }
      step = step.next
    }
    return []
  }

  /// Pixels kept between two x tick labels, and between the baselines of two y tick labels.
  static let xLabelGap = 6.0
  static let yLabelPitch = 15.0

  /// The width `text` takes at `size` pixels, from advance widths in thousandths of an em: for
  /// each printable ASCII character the larger of Helvetica's (Arial's are the same) and DejaVu
  /// Sans's (what "sans-serif" is on most Linux machines, wider), so the estimate holds for the
  /// font asked for and the usual fallback; any other character counts a full em.
  public static func textWidth(_ text: String, size: Double) -> Double {
    var em = 0
    for c in text.unicodeScalars {
      let i = Int(c.value) - 32
      em += (0..<asciiWidths.count).contains(i) ? asciiWidths[i] : 1000
    }
    return Double(em) / 1000 * size
  }

  /// Advance widths of " " through "~" (see `textWidth`).
  static let asciiWidths: [Int] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787,
    667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  ]

  /// Columns right of the plot: the legend's sample line, gap and longest name, sized from the
  /// text so that no entry runs past the page (170 at the least).
  var legendWidth: Double {
    let longest = legendSeries.map { Self.textWidth($0.name, size: 12) }.max() ?? 0
    let note = notes.map { Self.textWidth($0, size: 11) }.max() ?? 0
    return max(170, 15 + 30 + longest + 15, 15 + note + 15)
  }

  /// The series with a legend entry (the faint ones have none).
  var legendSeries: [Series] { series.filter { !$0.faint } }

  /// Rows of the legend: an entry per series not faint, then the notes.
  var legendRows: Int { legendSeries.count + notes.count }

  /// The page's width: `width`, widened by as much as a long legend and wide y tick labels
  /// need (the plot keeps its size).
  public var pageWidth: Double { (width - 170 + legendWidth + layout.left - 80).rounded(.up) }

  /// The page's height: `height`, or more when the legend's rows (20 pixels each) reach
  /// further down (the plot keeps its size).
  public var pageHeight: Double {
    max(height, (40 + 10 + Double(max(0, legendRows - 1)) * 20 + 4 + 10).rounded(.up))
  }

  /// The axes' ranges (y in scaled units: log10 on a log axis), the y ticks with their labels
  /// and the plot's left edge, wide enough for the widest y label.
  struct Layout {
    var x0: Double
    var x1: Double
    var y0: Double
    var y1: Double
    var yTicks: [(value: Double, label: String)]
    var left: Double
  }

  /// Where a y value goes in scaled units (log10 on a log axis, at the floor when ≤ it).
  func scaledY(_ y: Double) -> Double {
    let finite = y.isFinite ? y : (y < 0 ? -1 : 1) * .greatestFiniteMagnitude
    return logY ? log10(max(finite, floor)) : finite
  }

  var layout: Layout {
    let ph = height - 40 - 60
    let all = (series.flatMap(\.points) + bands.flatMap(\.points)).filter {
      $0.x.isFinite && !$0.y.isNaN
    }
    let xs = all.map(\.x)
    var x0 = xDomain?.lowerBound ?? xs.min() ?? 0
    var x1 = xDomain?.upperBound ?? xs.max() ?? 1
    Self.widen(&x0, &x1)
    let ys = all.map { scaledY($0.y) }.filter(\.isFinite)
    var y0 = ys.min() ?? 0
    var y1 = ys.max() ?? 1
    if logY {
      y0 = y0.rounded(.down)
      y1 = y1.rounded(.up)
    }
    Self.widen(&y0, &y1)
    // y ticks: about eight (1, 2, 5, 10, … decades on a log axis), at least `yLabelPitch`
    // pixels apart; on a log axis with values at the floor, the floor's "≤" label first and no
    // tick within a pitch of it.
    func py(_ t: Double) -> Double { ph - Self.fraction(t, y0, y1) * ph }
    var fixed: [(value: Double, label: String)] = []
    if logY && floorUsed { fixed.append((y0, "≤1e\(Int(y0.rounded()))")) }
    func placed(_ values: [Double]) -> [(value: Double, label: String)]? {
      var out = fixed
      for t in values {
        if fixed.contains(where: { abs(py($0.value) - py(t)) < Self.yLabelPitch }) { continue }
        if let last = out.last, abs(py(last.value) - py(t)) < Self.yLabelPitch { return nil }
        out.append((t, logY ? "1e\(Int(t.rounded()))" : Self.label(t)))
      }
      return out
    }
    let values = Self.ticks(y0, y1, count: 8, minimumStep: logY ? 1 : 0) { placed($0) != nil }
    let yTicks = placed(values) ?? fixed
    let widest = yTicks.map { Self.textWidth($0.label, size: 11) }.max() ?? 0
    // the rotated y label takes x < 26; its tick labels end 8 pixels left of the axis
    return Layout(
      x0: x0, x1: x1, y0: y0, y1: y1, yTicks: yTicks, left: max(80, (26 + widest + 8).rounded(.up)))
  }

  public func render() -> String {
    let layout = self.layout
    let left = layout.left
    let right = legendWidth
    let top = 40.0
    let bottom = 60.0
    let width = pageWidth
    let pageHeight = self.pageHeight
    let pw = width - left - right
    let ph = height - top - bottom
    let (x0, x1, y0, y1) = (layout.x0, layout.x1, layout.y0, layout.y1)
    func px(_ x: Double) -> Double { left + Self.fraction(x, x0, x1) * pw }
    func py(_ y: Double) -> Double { top + ph - Self.fraction(scaledY(y), y0, y1) * ph }
    func f(_ v: Double) -> String { String(format: "%.2f", v) }
    // The title centred over the plot, moved (then made smaller) to stay inside the page.
    var titleFont = 15.0
    var titleWidth = Self.textWidth(title, size: titleFont)
    if titleWidth > width - 8 {
      titleFont = max(8, (15 * (width - 8) / titleWidth * 10).rounded(.down) / 10)
      titleWidth = Self.textWidth(title, size: titleFont)
    }
    let titleX = min(max(left + pw / 2, 4 + titleWidth / 2), width - 4 - titleWidth / 2)
    let titleSize = titleFont == 15 ? "15" : String(titleFont)
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(pageHeight))" \
      viewBox="0 0 \(Int(width)) \(Int(pageHeight))" font-family="Helvetica, Arial, sans-serif" \
      font-size="12">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(f(titleX))" y="22" text-anchor="middle" font-size="\(titleSize)">\(Self.escape(title))</text>
      <g stroke="#444" stroke-width="1" fill="none">
      <rect x="\(f(left))" y="\(f(top))" width="\(f(pw))" height="\(f(ph))"/>
      </g>

      """
    // x ticks: about six, their labels at least `xLabelGap` pixels apart
    func apart(_ ticks: [(value: Double, label: String)]) -> Bool {
      var end = -Double.infinity
      for (t, label) in ticks {
        let w = Self.textWidth(label, size: 11)
        guard px(t) - w / 2 >= end + Self.xLabelGap else { return false }
        end = px(t) + w / 2
      }
      return true
    }
    func xLabels(_ values: [Double]) -> [(value: Double, label: String)]? {
      let ticks = values.map { (value: $0, label: Self.label($0)) }
      return apart(ticks) ? ticks : nil
    }
    // Labels of their own: every one, else every second, every third… that stand apart.
    func placedLabels(_ given: [(value: Double, label: String)]) -> [(value: Double, label: String)]
    {
      for every in 1...max(1, given.count) {
        let kept = given.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        if apart(kept) { return kept }
      }
      return Array(given.prefix(1))
    }
    let xTicks =
      xTickLabels.map(placedLabels)
      ?? xLabels(Self.ticks(x0, x1, count: 6) { xLabels($0) != nil }) ?? []
    out += "<g font-size=\"11\" fill=\"#222\">\n"
    for (t, label) in xTicks {
      let x = px(t)
      out += "<line x1=\"\(f(x))\" y1=\"\(f(top + ph))\" x2=\"\(f(x))\" y2=\"\(f(top + ph + 5))\" "
      out += "stroke=\"#444\"/>\n"
      out += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">"
      out += "\(Self.escape(label))</text>\n"
    }
    // y ticks
    for (t, text) in layout.yTicks {
      let y = top + ph - Self.fraction(t, y0, y1) * ph
      out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" "
      out += "stroke=\"#444\"/>\n"
      out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + pw))\" y2=\"\(f(y))\" "
      out += "stroke=\"#ddd\"/>\n"
      out += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
      out += "\(Self.escape(text))</text>\n"
    }
    out += "</g>\n"
    out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">"
    out += "\(Self.escape(xLabel))</text>\n"
    out += "<text transform=\"translate(18 \(f(top + ph / 2))) rotate(-90)\" "
    out += "text-anchor=\"middle\">\(Self.escape(yLabel + (logY ? " (log scale)" : "")))</text>\n"
    // bands: the upper edge forward, the lower edge back, closed (steps where either edge is
    // missing or NaN left out)
    for b in bands {
      let lower = Dictionary(
        b.lower.filter { $0.x.isFinite && !$0.y.isNaN }.map { ($0.x, $0.y) },
        uniquingKeysWith: { a, _ in a })
      let pairs = b.upper.filter { $0.x.isFinite && !$0.y.isNaN }.compactMap { p in
        lower[p.x].map { (x: p.x, low: $0, high: p.y) }
      }
      guard pairs.count > 1 else { continue }
      var d = ""
      for (k, p) in pairs.enumerated() {
        d += (k == 0 ? "M" : " L") + "\(f(px(p.x))) \(f(py(p.high)))"
      }
      for p in pairs.reversed() { d += " L\(f(px(p.x))) \(f(py(p.low)))" }
      out += "<path class=\"band\" data-name=\"\(Self.escape(b.name))\" d=\"\(d) Z\" "
      out += "fill=\"\(b.color)\" fill-opacity=\"\(f(b.opacity))\" stroke=\"none\"/>\n"
    }
    // curves: one path per series, the faint ones first (behind the others)
    for s in series.filter(\.faint) + legendSeries {
      let pts = s.points.filter { $0.x.isFinite && !$0.y.isNaN }
      guard !pts.isEmpty else { continue }
      var d = ""
      for (k, p) in pts.enumerated() {
        d += (k == 0 ? "M" : " L") + "\(f(px(p.x))) \(f(py(p.y)))"
      }
      let look =
        s.faint ? "class=\"raw\" stroke-opacity=\"0.3\" stroke-width=\"1\"" : "class=\"series\""
      out += "<path \(look) data-name=\"\(Self.escape(s.name))\" d=\"\(d)\" "
      out += "fill=\"none\" stroke=\"\(s.color)\""
      out += s.faint ? "/>\n" : " stroke-width=\"1.5\"/>\n"
    }
    // legend
    out += "<g font-size=\"12\">\n"
    let entries = legendSeries
    for (k, note) in notes.enumerated() {
      let y = top + 10 + Double(entries.count + k) * 20
      out += "<text x=\"\(f(left + pw + 15))\" y=\"\(f(y + 4))\" font-size=\"11\" fill=\"#444\">"
      out += "\(Self.escape(note))</text>\n"
    }
    for (k, s) in entries.enumerated() {
      let y = top + 10 + Double(k) * 20
      let x = left + pw + 15
      out += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 24))\" y2=\"\(f(y))\" "
      out += "stroke=\"\(s.color)\" stroke-width=\"2.5\"/>\n"
      out += "<text x=\"\(f(x + 30))\" y=\"\(f(y + 4))\">\(Self.escape(s.name))</text>\n"
    }
    out += "</g>\n</svg>\n"
    return out
  }

  /// Where v sits in [a, b] (0 at a, 1 at b), finite for any finite a < b: with halved
  /// differences where b − a overflows (a λ range of ±1e308 in a log), 0 where nothing works.
  static func fraction(_ v: Double, _ a: Double, _ b: Double) -> Double {
    let span = b - a
    let f = span.isFinite ? (v - a) / span : (v / 2 - a / 2) / (b / 2 - a / 2)
    return f.isFinite ? f : 0
  }

  /// Makes an empty range [a, a] a proper one without overflowing: it grows towards zero.
  static func widen(_ a: inout Double, _ b: inout Double) {
    guard b <= a else { return }
    let pad = max(1, abs(a) / 2)
    if a >= 0 { a -= pad } else { b = a + pad }
  }

  /// Whether any value sits at or below the log floor (the bottom label then reads ≤).
  var floorUsed: Bool {
    logY
      && (series.map(\.points) + bands.map(\.points)).contains {
        $0.contains { !$0.y.isNaN && $0.y <= floor }
      }
  }
}
