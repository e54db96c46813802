/// How fast a live session takes its steps: a number of session steps per second of wall time,
/// or as fast as the machine goes. Pace changes wall time only: the steps, and so every number
/// they compute, are the same at any pace.
public struct Pace: Sendable, Hashable, CustomStringConvertible {
  /// Session steps per second while paced (also kept while unthrottled, for going back).
  public var stepsPerSecond: Double
  /// As fast as possible: no throttle.
  public var unthrottled: Bool

  /// The slowest and fastest pace a key or `--pace` sets.
  public static let range: ClosedRange<Double> = 0.01...1e9
  /// A whole run takes about this long at `auto`.
  public static let autoSeconds = 10.0
  /// The pace `max` goes back to when nothing else says (`--pace max`, `--iterations 0`).
  public static let fallback = 500.0

  public init(stepsPerSecond: Double, unthrottled: Bool = false) {
    self.stepsPerSecond = min(Self.range.upperBound, max(Self.range.lowerBound, stepsPerSecond))
    self.unthrottled = unthrottled
  }

  /// As fast as possible.
  public static var fastest: Pace { Pace(stepsPerSecond: fallback, unthrottled: true) }

  /// `auto`: a run of `iterations` steps takes about ten seconds (the seed's 5000 steps at 500
  /// steps/s); a run without end (`iterations` 0) goes as fast as possible.
  public static func auto(iterations: Int) -> Pace {
    iterations > 0 ? Pace(stepsPerSecond: Double(iterations) / autoSeconds) : .fastest
  }

  /// `--pace`'s value: `auto`, `max` or steps per second (a finite number in `range`); nil when
  /// it is none of these.
  public init?(argument: String, iterations: Int) {
    switch argument {
    case "auto": self = .auto(iterations: iterations)
    case "max": self = .fastest
    default:
      guard let v = Double(argument), v.isFinite, Self.range.contains(v) else { return nil }
      self.init(stepsPerSecond: v)
    }
  }

  /// This pace with its steps per second multiplied by `factor` (within `range`), throttled.
  public func scaled(by factor: Double) -> Pace { Pace(stepsPerSecond: stepsPerSecond * factor) }

  /// For the header: `500/s`, `0.5/s`, `max`.
  public var description: String {
    if unthrottled { return "max" }
    // Whole: the shortest text that reads back to the same number (62.5, 0.48828125).
    let v = stepsPerSecond
    return (v == v.rounded() && v < 1e15 ? "\(Int(v))" : "\(v)") + "/s"
  }
}

/// Spreads a paced session's steps evenly over wall time: how many steps are due now, and when
/// the next one will be. The schedule restarts (from the current step and moment) whenever the
/// pace changes, the session pauses or resumes, or it falls behind by more than a twentieth of a
/// second of steps, so a stall never turns into a burst.
struct PaceSchedule {
  private var origin: (time: Double, step: Int)?

  mutating func restart() { origin = nil }

  /// Steps due at `now` for a session at `step` going at `rate` steps per second (≥ 0), and
  /// the moment the next step after those falls due.
  mutating func due(now: Double, step: Int, rate: Double) -> (steps: Int, next: Double) {
    if origin == nil { origin = (now, step) }
    var o = origin!
    var target = Int(((now - o.time) * rate).rounded(.down)) + 1
    if target - (step - o.step) > Swift.max(2, Int(rate / 20)) {
      origin = (now, step)
      o = origin!
      target = 1
    }
    let steps = Swift.max(0, target - (step - o.step))
    let next = o.time + Double(step - o.step + steps) / rate
    return (steps, next)
  }
}

extension Optional where Wrapped == Pace {
  /// Carries out a pace command (`setPace`, `scalePace`, `togglePaceMax`) on a session's pace;
  /// a session made without one (nil: never paced) stays so. False for any other command.
  mutating func apply(_ command: SessionCommand) -> Bool {
    switch command {
    case .setPace(let p): if self != nil { self = p }
    case .scalePace(let factor): if let p = self { self = p.scaled(by: factor) }
    case .togglePaceMax: self?.unthrottled.toggle()
    default: return false
    }
    return true
  }
}
