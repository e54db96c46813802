import SPEngine
import SPTUI

/// The inspection cursor (`v`): the chart it is on and where it stands.
public struct Inspection: Sendable, Hashable {
  /// The charts a cursor can stand on.
  public enum Panel: Sendable, Hashable {
    /// The big chart (steps), or the waterfall (λ, and a row of steps) in the waterfall view.
    case main
    /// The λ panel.
    case lambda
  }

  public var panel: Panel = .main
  /// The cursor's x on its chart: a step on the big chart, a λ on the λ panel and the
  /// waterfall; nil until it is first placed (the middle of the chart).
  public var x: Double?
  /// The waterfall's row of samples from the newest (0); ↑ goes to older ones.
  public var row = 0

  public init(panel: Panel = .main, x: Double? = nil, row: Int = 0) {
    self.panel = panel
    self.x = x
    self.row = row
  }
}

/// The steps the big chart shows (`g` cycles them; `<` and `>` narrow and widen them).
public enum ChartRange: Sendable, Hashable {
  /// The whole run.
  case whole
  /// The last `steps` steps, following the run as it goes on.
  case tail(steps: Int)
  /// Fixed steps, whatever arrives.
  case frozen(lower: Double, upper: Double)

  /// The steps shown when the session is at `step`.
  public func steps(at step: Int) -> ClosedRange<Double> {
    switch self {
    case .whole: return 0...Double(max(1, step))
    case .tail(let n):
      let lower = Double(max(0, step - n))
      return lower...max(lower + 1, Double(step))
    case .frozen(let lower, let upper): return lower...max(lower + 1, upper)
    }
  }

  /// The title's short form: "· last 1000", "· 1200–2400 frozen".
  public var shortTitle: String {
    switch self {
    case .whole: return ""
    case .tail(let n): return "· last \(n)"
    case .frozen(let lower, let upper):
      return "· \(Int(lower.rounded()))–\(Int(upper.rounded())) frozen"
    }
  }

  /// What the big chart's title says: nothing for the whole run, "· last 1000 steps",
  /// "· steps 1200–2400 frozen".
  public var title: String {
    switch self {
    case .whole: return ""
    case .tail(let n): return "· last \(n) steps"
    case .frozen(let lower, let upper):
      return "· steps \(Int(lower.rounded()))–\(Int(upper.rounded())) frozen"
    }
  }
}

/// Where the inspectable charts are on screen, which the reducer needs to move a cursor by
/// columns and to freeze what is shown: each chart's x range over its plot's columns.
public struct DashboardGeometry: Sendable, Hashable {
  /// The big chart (steps) in the charts view, the waterfall (λ) in the waterfall view.
  public var main: ColumnScale?
  /// The λ panel.
  public var lambda: ColumnScale?
  /// The waterfall's rows of samples shown (0 when it is not).
  public var waterfallRows = 0
  /// The steps the big chart shows.
  public var steps: ClosedRange<Double>?

  public init(
    main: ColumnScale? = nil, lambda: ColumnScale? = nil, waterfallRows: Int = 0,
    steps: ClosedRange<Double>? = nil
  ) {
    self.main = main
    self.lambda = lambda
    self.waterfallRows = waterfallRows
    self.steps = steps
  }
}

extension DashboardState {
  /// The tail's steps `<` and `>` stop at, and the narrowest frozen window.
  static let tailLimits = 10...100_000_000
  static let narrowestWindow = 8.0

  /// A key while the cursor is shown: ← / → one column, Shift-← / Shift-→ and PgUp / PgDn a
  /// tenth of the chart, Home / End its ends, ↑ / ↓ the waterfall's rows, Esc leaves. Nil for
  /// the other keys (they act as always).
  mutating func inspect(_ key: Key, geometry: DashboardGeometry?) -> [DashboardEffect]? {
    guard var cursor = inspection else { return nil }
    let scale = cursor.panel == .main ? geometry?.main : geometry?.lambda
    let integral = cursor.panel == .main && view == .charts
    let tenth = max(1, (scale?.columns ?? 10) / 10)
    let by: Int
    switch key {
    case .escape:
      inspection = nil
      return []
    case .left: by = -1
    case .right: by = 1
    case .shiftLeft, .pageUp: by = -tenth
    case .shiftRight, .pageDown: by = tenth
    case .home: by = -(scale?.columns ?? 0)
    case .end: by = scale?.columns ?? 0
    case .up, .down:
      guard view == .waterfall, cursor.panel == .main else { return nil }
      let rows = max(1, geometry?.waterfallRows ?? 1)
      cursor.row = min(max(0, cursor.row + (key == .up ? 1 : -1)), rows - 1)
      inspection = cursor
      return []
    default: return nil
    }
    guard let scale else { return [] }
    let x = cursor.x ?? scale.x(ofColumn: scale.columns / 2)
    switch key {
    // Home and End: the chart's first and last step (or λ) exactly.
    case .home: cursor.x = integral ? scale.range.lowerBound.rounded(.up) : scale.range.lowerBound
    case .end: cursor.x = integral ? scale.range.upperBound.rounded(.down) : scale.range.upperBound
    default: cursor.x = scale.moved(x, by: by, integral: integral)
    }
    inspection = cursor
    return []
  }

  /// `v`: the cursor on the big chart (or the waterfall), then on the λ panel, then off. It is
  /// placed at the middle of its chart and keeps that step (or λ) as new steps arrive: a tail
  /// slides under it, not it with the tail (the readout says when it stands at the edge).
  mutating func toggleInspection(replay: Bool, geometry: DashboardGeometry? = nil)
    -> [DashboardEffect]
  {
    guard view == .charts || view == .waterfall else {
      inspection = nil
      return replay
        ? []
        : [.notice("v inspects the charts and the waterfall: press m or o again for the charts")]
    }
    func middle(_ scale: ColumnScale?, integral: Bool) -> Double? {
      guard let scale else { return nil }
      let x = scale.x(ofColumn: scale.columns / 2)
      return integral ? x.rounded() : x
    }
    switch inspection?.panel {
    case nil:
      inspection = Inspection(panel: .main, x: middle(geometry?.main, integral: view == .charts))
    case .main?:
      inspection = Inspection(panel: .lambda, x: middle(geometry?.lambda, integral: false))
    case .lambda?: inspection = nil
    }
    return []
  }

  /// `g`: the whole run, then its tail, then the steps shown frozen, then the whole run again.
  mutating func cycleRange(geometry: DashboardGeometry?) {
    switch range {
    case .whole: range = .tail(steps: tailSteps)
    case .tail:
      guard let shown = geometry?.steps else {
        range = .whole
        return
      }
      range = .frozen(lower: shown.lowerBound, upper: shown.upperBound)
    case .frozen: range = .whole
    }
  }

  /// `<` (`narrower`) and `>`: the tail's steps halved or doubled; a frozen window zoomed in or
  /// out around the cursor (the middle without one), the cursor staying in its column; the
  /// whole run zoomed in freezes half of it.
  mutating func zoom(in narrower: Bool, geometry: DashboardGeometry?, replay: Bool)
    -> [DashboardEffect]
  {
    switch range {
    case .tail(let n):
      let next = narrower ? n / 2 : n * 2
      tailSteps = min(max(next, Self.tailLimits.lowerBound), Self.tailLimits.upperBound)
      range = .tail(steps: tailSteps)
      return []
    case .whole where !narrower:
      return replay ? [] : [.notice("the whole run is shown: < zooms in, g follows the tail")]
    case .whole, .frozen:
      guard let shown = geometry?.steps else { return [] }
      let lower = shown.lowerBound
      let upper = shown.upperBound
      var centre = (lower + upper) / 2
      if let c = inspection, c.panel == .main, view == .charts, let x = c.x,
        shown.contains(x)
      {
        centre = x
      }
      let factor = narrower ? 0.5 : 2
      var a = centre - (centre - lower) * factor
      var b = centre + (upper - centre) * factor
      if b - a < Self.narrowestWindow {
        a = centre - Self.narrowestWindow / 2
        b = centre + Self.narrowestWindow / 2
      }
      if a < 0 {
        b -= a
        a = 0
      }
      range = .frozen(lower: a.rounded(), upper: b.rounded())
      return []
    }
  }
}

extension History {
  /// The value the history holds for `step`: the last value of the bucket whose steps include
  /// it, or of the last bucket before it when it falls between buckets; nil before the first.
  public func value(at step: Int) -> Double? {
    var lo = 0
    var hi = buckets.count
    // The first bucket that starts after `step`.
    while lo < hi {
      let mid = (lo + hi) / 2
      if buckets[mid].firstIteration <= step { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? nil : buckets[lo - 1].last
  }
}
