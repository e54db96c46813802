#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// TensorBoard's smoothing of a noisy curve: a debiased exponential moving average.
///
/// For weight w in [0, 1) and the finite values v₀, v₁, … in order:
/// `last = last·w + (1 − w)·vᵢ` (from `last = 0`), and the smoothed value is
/// `last / (1 − w^(n))`, where n counts the finite values so far. The division is the bias
/// correction: without it the first points are pulled toward the 0 the average starts from.
/// w = 0 gives the raw values back. A non-finite value (a diverged model's ∞, a NaN) is left
/// out of the average and passed through as it is, so the curve has the same gap there as the
/// raw one (as TensorBoard does); the average goes on over the finite values after it.
///
/// The average runs over the points as given, one after the other, whatever their x (again as
/// TensorBoard): a chart's history keeps one point per bucket of 2^k steps, so the same weight
/// spans more steps as a long run's buckets grow.
public enum Smoothing {
  /// The weights the dashboard's smoothing key cycles through (0: off).
  public static let presets: [Double] = [0, 0.6, 0.9, 0.99]

  /// What a smoothing weight may be, for refusals: "a number in [0, 1) …".
  public static let accepted = "a number in [0, 1) (0 or off: no smoothing; e.g. 0.6, 0.9, 0.99)"

  /// The weight `text` gives (`off` is 0), or nil when it is not a number in [0, 1).
  public static func weight(parsing text: String) -> Double? {
    if text.lowercased() == "off" { return 0 }
    guard let w = Double(text), w.isFinite, w >= 0, w < 1 else { return nil }
    return w
  }

  /// The preset after `weight`: the smallest one above it, or off after the last.
  public static func next(after weight: Double) -> Double {
    presets.first { $0 > weight } ?? 0
  }

  /// The weight as titles show it: "0.9", "0.99" (the shortest text that reads back as it).
  public static func text(_ weight: Double) -> String {
    weight == 0 ? "off" : "\(weight)"
  }

  /// The debiased exponential moving average of `values` with `weight` (see the type's
  /// documentation); `values` unchanged when the weight is 0 (or not in [0, 1)).
  public static func ema(_ values: [Double], weight: Double) -> [Double] {
    guard weight > 0, weight < 1 else { return values }
    var last = 0.0
    var count = 0.0
    return values.map { v in
      guard v.isFinite else { return v }
      last = last * weight + (1 - weight) * v
      count += 1
      return last / (1 - pow(weight, count))
    }
  }

  /// The smoothed curve of `points` as drawn on a `scale` axis: on a linear axis the average
  /// of the values; on a log axis the average of their logarithms (values at or below the
  /// floor counted at the floor, where the chart draws them), turned back into values, so a
  /// curve falling over decades is smoothed the way it looks. x values are kept.
  public static func ema(
    _ points: [(x: Double, y: Double)], weight: Double, scale: ChartScale
  ) -> [(x: Double, y: Double)] {
    guard weight > 0, weight < 1 else { return points }
    switch scale {
    case .linear:
      return zip(points, ema(points.map(\.y), weight: weight)).map { ($0.x, $1) }
    case .log10(let floor):
      let f = floor > 0 && floor.isFinite ? floor : Double.leastNormalMagnitude
      let logs = points.map { $0.y.isFinite ? ScaleMath.lg(Swift.max($0.y, f)) : $0.y }
      return zip(points, ema(logs, weight: weight)).map { p, s in
        (p.x, s.isFinite ? ScaleMath.tenTo(s) : s)
      }
    }
  }
}
