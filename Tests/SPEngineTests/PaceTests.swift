import Foundation
import Testing

@testable import SPEngine

/// A paced session: its steps spread evenly over wall time, its results those of an unpaced one.
@Suite struct PaceTests {
  @Test func parsingAutoMaxAndNumbers() {
    #expect(Pace(argument: "auto", iterations: 5000) == Pace(stepsPerSecond: 500))
    #expect(Pace(argument: "auto", iterations: 0)?.unthrottled == true)
    #expect(Pace(argument: "max", iterations: 5000)?.unthrottled == true)
    #expect(Pace(argument: "12.5", iterations: 5000) == Pace(stepsPerSecond: 12.5))
    for bad in ["0", "-3", "nan", "inf", "1e10", "fast", ""] {
      #expect(Pace(argument: bad, iterations: 5000) == nil, "\(bad)")
    }
    #expect(Pace(stepsPerSecond: 500).description == "500/s")
    #expect(Pace(stepsPerSecond: 500).scaled(by: 1.0 / 16).description == "31.25/s")
    #expect(Pace.fastest.description == "max")
    #expect(Pace(stepsPerSecond: 1).scaled(by: 1e-9).stepsPerSecond == Pace.range.lowerBound)
  }

  @Test func theScheduleSpreadsStepsAndNeverBursts() {
    var s = PaceSchedule()
    // 50 steps/s: one step at once, then one every 20 ms.
    #expect(s.due(now: 10, step: 0, rate: 50).steps == 1)
    let d = s.due(now: 10.001, step: 1, rate: 50)
    #expect(d.steps == 0 && abs(d.next - 10.02) < 1e-9)
    #expect(s.due(now: 10.0201, step: 1, rate: 50).steps == 1)
    // A stall of ten seconds is not made up in a burst.
    #expect(s.due(now: 20.03, step: 2, rate: 50).steps == 1)
  }

  func finalParameters(pace: Pace?) throws -> (params: [[String]], seconds: Double) {
    let settings = SessionSettings(iterations: 400)
    let session = try TrainingSession(
      settings: settings, publishInterval: 1.0 / 120, stopsWhenDone: true, pace: pace)
    let t0 = monotonicSeconds()
    session.start()
    #expect(session.waitUntilFinished(timeout: 60))
    let seconds = monotonicSeconds() - t0
    let result = try #require(session.result)
    return (
      result.models.map { m in m.parameters.keys.sorted().map { "\(m.parameters[$0]!)" } }, seconds
    )
  }

  /// Pace changes wall time only: a paced run ends with the parameters of an unpaced one, bit
  /// for bit, and takes at least its steps' share of time.
  @Test func aPacedRunEndsWithTheUnpacedRunsParameters() throws {
    let paced = try finalParameters(pace: Pace(stepsPerSecond: 1000))
    let unpaced = try finalParameters(pace: nil)
    let fastest = try finalParameters(pace: .fastest)
    #expect(paced.params == unpaced.params && fastest.params == unpaced.params)
    #expect(paced.seconds >= 0.39, "400 steps at 1000/s took \(paced.seconds) s")
  }

  /// At a slow pace the steps come one at a time, evenly: sampled every 5 ms, the session never
  /// moves by more than two steps at once, and it moves many times.
  @Test func aSlowPaceMovesStepByStep() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 0), publishInterval: 1.0 / 240,
      pace: Pace(stepsPerSecond: 40))
    session.start()
    defer {
      session.send(.stop)
      _ = session.waitUntilFinished(timeout: 10)
    }
    var seen: [Int] = []
    let end = monotonicSeconds() + 1.0
    while monotonicSeconds() < end {
      if let s = session.snapshot?.step, seen.last != s { seen.append(s) }
      usleep(5000)
    }
    let jumps = zip(seen, seen.dropFirst()).map { $1 - $0 }
    #expect(jumps.allSatisfy { $0 <= 2 }, "\(seen)")
    #expect(seen.count >= 20, "\(seen)")
    #expect((seen.last ?? 0) <= 50, "40 steps/s for a second: \(seen)")
    #expect(session.snapshot?.pace == Pace(stepsPerSecond: 40))
  }

  @Test func paceCommandsScaleAndToggle() throws {
    let session = try TrainingSession(
      settings: SessionSettings(iterations: 0), publishInterval: 1.0 / 240,
      pace: Pace(stepsPerSecond: 100))
    session.start()
    defer {
      session.send(.stop)
      _ = session.waitUntilFinished(timeout: 10)
    }
    session.send(.scalePace(factor: 2))
    #expect(SessionTests.waitFor(session) { $0.pace == Pace(stepsPerSecond: 200) } != nil)
    session.send(.togglePaceMax)
    #expect(SessionTests.waitFor(session) { $0.pace?.unthrottled == true } != nil)
    session.send(.togglePaceMax)
    #expect(SessionTests.waitFor(session) { $0.pace == Pace(stepsPerSecond: 200) } != nil)
    session.send(.scalePace(factor: 0.25))
    #expect(SessionTests.waitFor(session) { $0.pace == Pace(stepsPerSecond: 50) } != nil)
  }
}
