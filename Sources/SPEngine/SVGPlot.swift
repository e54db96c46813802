import Foundation

/// A standalone SVG line chart for papers: axes with ticks and labels, a legend, a linear x axis
/// and a log10 (or linear) y axis. Values at or below the log floor are drawn at the floor.
public struct SVGPlot: Sendable {
  public struct Series: Sendable {
    public var name: String
    public var color: String
    public var points: [(x: Double, y: Double)]
    public init(name: String, color: String, points: [(x: Double, y: Double)]) {
      self.name = name
      self.color = color
      self.points = points
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var logY = true
  public var floor = 1e-17
  public var width = 720.0
  public var height = 450.0

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

  static func label(_ v: Double) -> String {
    if v == 0 { return "0" }
    if abs(v) >= 1e-3 && abs(v) < 1e5 {
      let s = String(format: "%.6g", v)
      return s
    }
    return String(format: "%.0e", v)
  }

  /// Round numbers between a and b, about `count` of them.
  /// Bounded for any finite a < b: the span is taken halved so it cannot overflow, and at most
  /// 4·count ticks come out even where a step is below the rounding of the values (a = 1e16).
  static func niceTicks(_ a: Double, _ b: Double, count: Int = 6) -> [Double] {
    guard b > a, a.isFinite, b.isFinite else { return [a] }
    let raw = (b / 2 - a / 2) / Double(count) * 2
    guard raw.isFinite, raw > 0 else { return [a, b] }
    let mag = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    guard step.isFinite, step > 0 else { return [a, b] }
    var ticks: [Double] = []
    var k = (a / step).rounded(.up)
    while ticks.count < 4 * count {
      let t = k * step
      guard t.isFinite, t <= b + step * 1e-9 else { break }
      if let last = ticks.last, t <= last { break }
      ticks.append(abs(t) < step * 1e-9 ? 0 : t)
      k += 1
    }
    return ticks
  }

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
    let longest = series.map { Self.textWidth($0.name, size: 12) }.max() ?? 0
    return max(170, 15 + 30 + longest + 15)
  }

  /// The page's width: `width`, widened by as much as a long legend needs (the plot keeps its
  /// size).
  public var pageWidth: Double { (width - 170 + legendWidth).rounded(.up) }

  public func render() -> String {
    let left = 80.0
    let right = legendWidth
    let top = 40.0
    let bottom = 60.0
    let width = pageWidth
    let pw = width - left - right
    let ph = height - top - bottom
    let all = series.flatMap(\.points).filter { $0.x.isFinite && !$0.y.isNaN }
    let xs = all.map(\.x)
    var x0 = xs.min() ?? 0
    var x1 = xs.max() ?? 1
    Self.widen(&x0, &x1)
    func ty(_ y: Double) -> Double {
      let finite = y.isFinite ? y : (y < 0 ? -1 : 1) * .greatestFiniteMagnitude
      return logY ? log10(max(finite, floor)) : finite
    }
    let ys = all.map { ty($0.y) }.filter(\.isFinite)
    var y0 = ys.min() ?? 0
    var y1 = ys.max() ?? 1
    if logY {
      y0 = y0.rounded(.down)
      y1 = y1.rounded(.up)
    }
    Self.widen(&y0, &y1)
    func px(_ x: Double) -> Double { left + Self.fraction(x, x0, x1) * pw }
    func py(_ y: Double) -> Double { top + ph - Self.fraction(ty(y), y0, y1) * ph }
    func f(_ v: Double) -> String { String(format: "%.2f", v) }
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" \
      font-size="12">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(f(left + pw / 2))" y="22" text-anchor="middle" font-size="15">\(Self.escape(title))</text>
      <g stroke="#444" stroke-width="1" fill="none">
      <rect x="\(f(left))" y="\(f(top))" width="\(f(pw))" height="\(f(ph))"/>
      </g>

      """
    // x ticks
    out += "<g font-size=\"11\" fill=\"#222\">\n"
    for t in Self.niceTicks(x0, x1) {
      let x = px(t)
      out += "<line x1=\"\(f(x))\" y1=\"\(f(top + ph))\" x2=\"\(f(x))\" y2=\"\(f(top + ph + 5))\" "
      out += "stroke=\"#444\"/>\n"
      out += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">"
      out += "\(Self.label(t))</text>\n"
    }
    // y ticks
    let yTicks: [Double] =
      logY
      ? stride(from: y0, through: y1, by: max(1, ((y1 - y0) / 8).rounded(.up))).map { $0 }
      : Self.niceTicks(y0, y1)
    for t in yTicks {
      let y = top + ph - Self.fraction(t, y0, y1) * ph
      out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" "
      out += "stroke=\"#444\"/>\n"
      out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + pw))\" y2=\"\(f(y))\" "
      out += "stroke=\"#ddd\"/>\n"
      let text: String
      if logY {
        let e = Int(t.rounded())
        text = (e == Int(y0.rounded()) && floorUsed ? "≤" : "") + "1e\(e)"
      } else {
        text = Self.label(t)
      }
      out += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
      out += "\(Self.escape(text))</text>\n"
    }
    out += "</g>\n"
    out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">"
    out += "\(Self.escape(xLabel))</text>\n"
    out += "<text transform=\"translate(18 \(f(top + ph / 2))) rotate(-90)\" "
    out += "text-anchor=\"middle\">\(Self.escape(yLabel + (logY ? " (log scale)" : "")))</text>\n"
    // curves: one path per series
    for s in series {
      let pts = s.points.filter { $0.x.isFinite && !$0.y.isNaN }
      guard !pts.isEmpty else { continue }
      var d = ""
      for (k, p) in pts.enumerated() {
        d += (k == 0 ? "M" : " L") + "\(f(px(p.x))) \(f(py(p.y)))"
      }
      out += "<path class=\"series\" data-name=\"\(Self.escape(s.name))\" d=\"\(d)\" "
      out += "fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>\n"
    }
    // legend
    out += "<g font-size=\"12\">\n"
    for (k, s) in series.enumerated() {
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
    logY && series.contains { $0.points.contains { !$0.y.isNaN && $0.y <= floor } }
  }
}
