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

  /// About `count` tick values (in the values' units) inside the range: round numbers on a
  /// linear axis, powers of ten (every 1, 2, 5, 10, 20, … decades, at multiples of the step)
  /// on a log axis.
  public func ticks(approximately count: Int) -> [Double] {
    ticks(every: firstStep(approximately: count))
  }

  /// The ticks of the finest step from about `count` intervals upward that `accept` takes: the
  /// caller's test that their labels stay apart. Coarser steps have fewer ticks, so the search
  /// ends; when none is taken, no ticks.
  public func ticks(approximately count: Int, where accept: ([Double]) -> Bool) -> [Double] {
    var step = firstStep(approximately: count)
    for _ in 0..<64 {
      let ticks = ticks(every: step)
      if accept(ticks) { return ticks }
      if ticks.count <= 1 { break }
      step = step.next
    }
    return []
  }

  /// The tick step nearest (by ratio) to `count` intervals over the range: 1-2-5 × 10^k on a
  /// linear axis, 1, 2, 5, 10, 20, … decades on a log axis.
  func firstStep(approximately count: Int) -> TickStep {
    let raw = (upper - lower) / Double(Swift.max(1, count))
    if case .log10 = scale { return TickStep(nearest: Swift.max(1, raw)) }
    return TickStep(nearest: raw)
  }

  /// The ticks at the multiples of `step` inside the range (on a log axis `step` counts
  /// decades); none when there would be over 10,000, or when a tick would need more than 14
  /// significant digits to be labelled exactly.
  func ticks(every step: TickStep) -> [Double] {
    switch scale {
    case .linear:
      return ChartAxis.niceTicks(lower: lower, upper: upper, step: step)
    case .log10:
      let decades = step.value
      let first = (lower / decades - 1e-9).rounded(.up)
      let last = (upper / decades + 1e-9).rounded(.down)
      guard first <= last, last - first < 10_000 else { return [] }
      return stride(from: first, through: last, by: 1).map {
        ScaleMath.tenTo(ChartAxis.snap($0 * decades))
      }.filter { $0.isFinite && $0 > 0 }
    }
  }

  /// Multiples of 1, 2 or 5 × 10^k inside `lower`…`upper`, about `count` intervals apart:
  /// `niceTicks(lower: -10, upper: 10, approximately: 2)` is [-10, 0, 10].
  public static func niceTicks(lower: Double, upper: Double, approximately count: Int) -> [Double] {
    guard lower.isFinite, upper.isFinite, upper > lower else {
      return lower.isFinite && lower == upper ? [lower] : []
    }
    let raw = (upper - lower) / Double(Swift.max(1, count))
    return niceTicks(lower: lower, upper: upper, step: TickStep(atLeast: raw))
  }

  /// The multiples of `step` inside `lower`…`upper`, each the double nearest its decimal
  /// k·mult·10^exponent (read from that decimal, one rounding, so its label shows it exactly);
  /// none when there would be over 10,000 or when k·mult has more than 14 digits (the label
  /// could not show the tick exactly).
  static func niceTicks(lower: Double, upper: Double, step: TickStep) -> [Double] {
    guard lower.isFinite, upper.isFinite, upper >= lower else { return [] }
    let value = step.value
    guard value.isFinite, value > 0 else { return [] }
    let first = (lower / value - 1e-9).rounded(.up)
    let last = (upper / value + 1e-9).rounded(.down)
    guard first <= last, last - first < 10_000,
      Swift.max(first.magnitude, last.magnitude) * Double(step.mult) < 1e14
    else { return [] }
    return (Int(first)...Int(last)).compactMap { k in
      let n = k * step.mult
      return n == 0 ? 0 : Double("\(n)e\(step.exponent)")
    }
  }

  /// The shortest exact label of a tick: `NumberFormat.compact` with as many significant digits
  /// as the tick has (three at the least, fourteen at most), so 1,000,001 reads "1.000001M",
  /// never "1M".
  public static func label(_ v: Double) -> String {
    let full = NumberFormat.compact(v, significantDigits: 14)
    for digits in 3..<14 {
      let text = NumberFormat.compact(v, significantDigits: digits)
      if text == full { return text }
    }
    return full
  }

  /// `s` rounded to a whole number when within 1e-9 of one (log10 of exact powers of ten).
  static func snap(_ s: Double) -> Double {
    let r = s.rounded()
    return Swift.abs(s - r) < 1e-9 ? r : s
  }
}

/// A tick step: `mult` (1, 2 or 5) × 10^`exponent`, in the axis's scaled units (decades on a
/// log axis).
public struct TickStep: Hashable, Sendable {
  public var mult: Int
  public var exponent: Int

  /// The smallest step of the 1-2-5 sequence at or above `raw` (within rounding; 1 for a raw
  /// step that is not positive and finite).
  public init(atLeast raw: Double) {
    guard raw.isFinite, raw > 0 else {
      self.init(mult: 1, exponent: 0)
      return
    }
    var exponent = Int(ScaleMath.lg(raw).rounded(.down))
    let norm = raw / ScaleMath.tenTo(Double(exponent))
    let mult: Int
    if norm <= 1.000_000_1 {
      mult = 1
    } else if norm <= 2.000_000_1 {
      mult = 2
    } else if norm <= 5.000_000_1 {
      mult = 5
    } else {
      mult = 1
      exponent += 1
    }
    self.init(mult: mult, exponent: exponent)
  }

  /// The step of the 1-2-5 sequence nearest to `raw` by ratio.
  public init(nearest raw: Double) {
    var below = TickStep(atLeast: raw / 10)
    guard raw.isFinite, raw > 0, below.value < raw else {
      self = below
      return
    }
    while below.next.value <= raw { below = below.next }
    let above = below.next
    self = above.value / raw < raw / below.value ? above : below
  }

  public init(mult: Int, exponent: Int) {
    self.mult = mult
    self.exponent = exponent
  }

  /// The step's size.
  public var value: Double { Double(mult) * ScaleMath.tenTo(Double(exponent)) }

  /// The next coarser step: 1 → 2 → 5 → 10.
  public var next: TickStep {
    switch mult {
    case 1: return TickStep(mult: 2, exponent: exponent)
    case 2: return TickStep(mult: 5, exponent: exponent)
    default: return TickStep(mult: 1, exponent: exponent + 1)
    }
  }
}
