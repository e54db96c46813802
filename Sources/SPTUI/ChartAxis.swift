/// How a chart axis maps values: evenly, or by powers of ten with a floor for values ≤ it.
public enum ChartScale: Hashable, Sendable {
  case linear
  /// Logarithmic; values ≤ `floor` (zero and negatives included) are drawn at the floor.
  case log10(floor: Double)
}

/// One chart axis: a range in scaled units (log10 of the value on a log scale), the map from
/// values to dot positions, and tick picking. The testable arithmetic behind `LineChart`.
public struct ChartAxis: Hashable, Sendable {
  public var scale: ChartScale
  /// The low end in scaled units.
  public var lower: Double
  /// The high end in scaled units; always above `lower`.
  public var upper: Double

  /// An axis over scaled units `lower`…`upper`; a zero-width or non-finite range is widened.
  public init(scaledLower lower: Double, scaledUpper upper: Double, scale: ChartScale) {
    self.scale = scale
    var lo = lower.isFinite ? lower : 0
    var hi = upper.isFinite ? upper : lo + 1
    if hi < lo { swap(&lo, &hi) }
    if hi == lo {
      let pad = lo == 0 ? 1 : lo.magnitude / 10
      lo -= pad
      hi += pad
    }
    self.lower = lo
    self.upper = hi
  }

  /// An axis over the values `range` (in the values' own units).
  public init(range: ClosedRange<Double>, scale: ChartScale) {
    let probe = ChartAxis(scaledLower: 0, scaledUpper: 1, scale: scale)
    self.init(
      scaledLower: probe.scaled(range.lowerBound) ?? 0,
      scaledUpper: probe.scaled(range.upperBound) ?? 1, scale: scale)
  }

  /// The axis that fits `values` (non-finite ones ignored). A linear axis spans them exactly; a
  /// log axis spans whole decades, except that it starts exactly at the floor when some value
  /// is clamped to it.
  public static func fitting(_ values: [Double], scale: ChartScale) -> ChartAxis {
    let probe = ChartAxis(scaledLower: 0, scaledUpper: 1, scale: scale)
    var lo = Double.infinity
    var hi = -Double.infinity
    var clamped = false
    for v in values {
      guard let s = probe.scaled(v) else { continue }
      lo = Swift.min(lo, s)
      hi = Swift.max(hi, s)
      clamped = clamped || probe.isClamped(v)
    }
    guard lo <= hi else { return ChartAxis(scaledLower: 0, scaledUpper: 1, scale: scale) }
    if case .log10 = scale {
      let top = snap(hi).rounded(.up)
      let bottom = clamped ? lo : snap(lo).rounded(.down)
      return ChartAxis(
        scaledLower: bottom, scaledUpper: top > bottom ? top : bottom + 1, scale: scale)
    }
    return ChartAxis(scaledLower: lo, scaledUpper: hi, scale: scale)
  }

  /// `v` in scaled units: itself, or log10 of it (of the floor when `v` ≤ floor); nil when not
  /// finite.
  public func scaled(_ v: Double) -> Double? {
    guard v.isFinite else { return nil }
    switch scale {
    case .linear: return v
    case .log10(let floor):
      let f = floor > 0 && floor.isFinite ? floor : Double.leastNormalMagnitude
      return ChartAxis.snap(ScaleMath.lg(Swift.max(v, f)))
    }
  }

  /// Whether `v` is finite and drawn at the log floor rather than where it is.
  public func isClamped(_ v: Double) -> Bool {
    guard v.isFinite, case .log10(let floor) = scale else { return false }
    return v <= floor
  }

  /// Where `v` falls among `dots` dots, 0 at the low end and `dots − 1` at the high end; may lie
  /// outside that span for values outside the range. Nil when `v` is not finite.
  public func position(of v: Double, dots: Int) -> Double? {
    guard let s = scaled(v) else { return nil }
    return (s - lower) / (upper - lower) * Double(Swift.max(0, dots - 1))
  }

  /// The dot (0 at the low end) nearest to `v`, or nil when `v` is not finite or off the axis.
  public func dot(of v: Double, dots: Int) -> Int? {
    guard let p = position(of: v, dots: dots), p > -0.5, p < Double(dots) - 0.5 else { return nil }
    return Int(p.rounded())
  }

  /// About `count` tick values (in the values' units) inside the range: nice round numbers on a
  /// linear axis, powers of ten (every k-th decade when there are too many) on a log axis.
  public func ticks(approximately count: Int) -> [Double] {
    switch scale {
    case .linear:
      return ChartAxis.niceTicks(lower: lower, upper: upper, approximately: count)
    case .log10:
      let first = Int(lower.rounded(.up))
      let last = Int(upper.rounded(.down))
      guard first <= last else { return [] }
      let every = Swift.max(1, (last - first) / Swift.max(1, count))
      return stride(from: last, through: first, by: -every).reversed().map {
        ScaleMath.tenTo(Double($0))
      }
    }
  }

  /// Multiples of 1, 2, 2.5 or 5 × 10^k inside `lower`…`upper`, about `count` intervals apart:
  /// `niceTicks(lower: -10, upper: 10, approximately: 2)` is [-10, 0, 10].
  public static func niceTicks(lower: Double, upper: Double, approximately count: Int) -> [Double] {
    guard lower.isFinite, upper.isFinite, upper > lower else {
      return lower.isFinite && lower == upper ? [lower] : []
    }
    let raw = (upper - lower) / Double(Swift.max(1, count))
    var exponent = Int(ScaleMath.lg(raw).rounded(.down))
    let norm = raw / ScaleMath.tenTo(Double(exponent))
    var mult: Int
    if norm <= 1.000_000_1 {
      mult = 10
      exponent -= 1
    } else if norm <= 2.000_000_1 {
      mult = 20
      exponent -= 1
    } else if norm <= 2.500_000_1 {
      mult = 25
      exponent -= 1
    } else if norm <= 5.000_000_1 {
      mult = 5
    } else {
      mult = 10
    }
    if mult % 10 == 0 {
      mult /= 10
      exponent += 1
    }
    // tick k is k·mult·10^exponent, computed with one rounding.
    let unit = ScaleMath.tenTo(Double(Swift.abs(exponent)))
    func tick(_ k: Int) -> Double {
      exponent >= 0 ? Double(k * mult) * unit : Double(k * mult) / unit
    }
    let step = exponent >= 0 ? Double(mult) * unit : Double(mult) / unit
    let first = (lower / step - 1e-9).rounded(.up)
    let last = (upper / step + 1e-9).rounded(.down)
    guard first <= last, last - first < 10_000, first.magnitude < 1e15, last.magnitude < 1e15
    else { return [] }
    return (Int(first)...Int(last)).map(tick)
  }

  /// `s` rounded to a whole number when within 1e-9 of one (log10 of exact powers of ten).
  static func snap(_ s: Double) -> Double {
    let r = s.rounded()
    return Swift.abs(s - r) < 1e-9 ? r : s
  }
}
