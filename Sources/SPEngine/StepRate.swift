/// Session steps per second over a moving window, for a session and for an ensemble: the first
/// figure a tenth of a second after the window opens, then one every half second; `measured`
/// says whether there is a figure yet (the header shows "—" until there is).
struct StepRate {
  private(set) var value = 0.0
  private(set) var measured = false
  private var window: (time: Double, step: Int)?

  init() {}

  /// No figure yet, the window open at `step`.
  init(openAt time: Double, step: Int) { window = (time, step) }

  /// Opens the window at `step` (a start, a resume); the figure so far stays.
  mutating func open(now: Double, step: Int) { window = (now, step) }

  /// Closes the window (paused, done); the next sample opens one.
  mutating func close() { window = nil }

  /// Brings the figure up to date while running.
  mutating func sample(now: Double, step: Int) {
    guard let w = window else {
      window = (now, step)
      return
    }
    guard now - w.time >= (measured ? 0.5 : 0.1) else { return }
    value = Double(step - w.step) / (now - w.time)
    window = (now, step)
    measured = true
  }

  /// A figure from elsewhere: the mean over the running time, while paused or done.
  mutating func set(_ v: Double) {
    value = v
    measured = true
  }
}
