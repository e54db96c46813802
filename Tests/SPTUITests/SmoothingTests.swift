import Foundation
import SPTUI
import SPTestSupport
import Testing

/// TensorBoard's debiased exponential moving average: against its formula written out by hand,
/// against numpy, on a log axis, with values that are not finite, and the weights' text.
@Suite struct SmoothingTests {
  /// The formula, point by point: last = last·w + (1 − w)·v from 0, divided by 1 − w^n.
  @Test func followsTheFormulaWithItsBiasCorrection() {
    let w = 0.9
    let v = [4.0, 2, 8, 1]
    var last = 0.0
    var want: [Double] = []
    for (i, x) in v.enumerated() {
      last = last * w + (1 - w) * x
      want.append(last / (1 - pow(w, Double(i + 1))))
    }
    #expect(Smoothing.ema(v, weight: w) == want)
    // Written out: the first point is the first value (0.1·4 / (1 − 0.9)), not pulled toward
    // the 0 the average starts from (0.4 without the correction); the second is
    // (0.9·0.4 + 0.1·2) / (1 − 0.81) = 0.56 / 0.19.
    let s = Smoothing.ema(v, weight: w)
    #expect(abs(s[0] - 4) < 1e-15)
    #expect(abs(s[1] - 0.56 / 0.19) < 1e-15)
    #expect(abs(s[2] - (0.9 * 0.56 + 0.8) / (1 - 0.729)) < 1e-14)
    // Constant values stay (to rounding) where they are from the first point on.
    for x in Smoothing.ema(Array(repeating: 3.0, count: 200), weight: 0.99) {
      #expect(abs(x - 3) < 1e-12)
    }
  }

  /// Weight 0 is the raw curve, bit for bit; so is a weight outside [0, 1).
  @Test func weightZeroIsTheRawCurve() {
    let v = [1.0, .nan, 3, .infinity, 5]
    for w in [0.0, 1, -0.5, .nan] {
      let s = Smoothing.ema(v, weight: w)
      #expect(zip(s, v).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }
  }

  /// A non-finite value is passed through and left out of the average: the curve has the same
  /// gap as the raw one, and the count in the correction counts the finite values only.
  @Test func nonFiniteValuesArePassedThroughAndLeftOut() {
    let w = 0.6
    let s = Smoothing.ema([2, .nan, .infinity, 5, -.infinity], weight: w)
    #expect(s[0] == 2)
    #expect(s[1].isNaN && s[2] == .infinity && s[4] == -.infinity)
    #expect(s[3] == Smoothing.ema([2, 5], weight: w)[1])
  }

  /// On a log axis the average runs over log10 of the values (those at or below the floor
  /// counted at it) and comes back as values; a linear axis averages the values themselves.
  @Test func aLogAxisSmoothsTheLogarithms() {
    let points: [(x: Double, y: Double)] = [(0, 1), (10, 1e-4), (20, 0), (30, .nan), (40, 1e-2)]
    let floor = 1e-17
    let logs = Smoothing.ema([0, -4, -17, .nan, -2], weight: 0.9)
    let s = Smoothing.ema(points, weight: 0.9, scale: .log10(floor: floor))
    #expect(s.map(\.x) == points.map(\.x))
    for (p, l) in zip(s, logs) {
      if l.isNaN { #expect(p.y.isNaN) } else { #expect(abs(log10(p.y) - l) < 1e-12) }
    }
    let linear = Smoothing.ema(points, weight: 0.9, scale: .linear)
    #expect(linear.map(\.y)[1] == Smoothing.ema([1, 1e-4], weight: 0.9)[1])
  }

  /// The key's cycle and the flag's words.
  @Test func weightsCycleAndParse() {
    #expect(Smoothing.next(after: 0) == 0.6)
    #expect(Smoothing.next(after: 0.6) == 0.9)
    #expect(Smoothing.next(after: 0.9) == 0.99)
    #expect(Smoothing.next(after: 0.99) == 0)
    #expect(Smoothing.next(after: 0.7) == 0.9)  // from a --smoothing between the presets
    #expect(Smoothing.next(after: 0.995) == 0)
    #expect(Smoothing.weight(parsing: "0.9") == 0.9)
    #expect(Smoothing.weight(parsing: "0") == 0 && Smoothing.weight(parsing: "off") == 0)
    #expect(Smoothing.weight(parsing: "0.999999") == 0.999999)
    for bad in ["1", "-0.1", "1.5", "nan", "inf", "abc", "", " 0.9", "0,9"] {
      #expect(Smoothing.weight(parsing: bad) == nil, "\(bad)")
    }
    #expect(Smoothing.text(0.9) == "0.9" && Smoothing.text(0.99) == "0.99")
  }

  /// numpy recomputes the average in closed form — smoothed[i] = Σⱼ (1 − w)·w^(n−j)·vⱼ /
  /// (1 − w^n) over the finite values up to i — for noisy curves with gaps, linear and in log
  /// space, at every preset weight; prints "ok N".
  static let numpyCheck = #"""
    import json, sys, math
    import numpy as np
    cases = json.load(sys.stdin)
    n = 0
    for c in cases:
        w = c["weight"]; v = np.array(c["values"], float); got = np.array(c["smoothed"], float)
        x = np.log10(np.maximum(v, c["floor"])) if c["log"] else v.copy()
        ok = np.isfinite(v)
        for i in range(len(v)):
            if not ok[i]:
                assert got[i] == v[i] or (math.isnan(got[i]) and math.isnan(v[i])), (i, got[i], v[i])
                continue
            xs = x[: i + 1][ok[: i + 1]]
            k = len(xs)
            weights = (1 - w) * w ** np.arange(k - 1, -1, -1)
            want = (weights @ xs) / (1 - w ** k)
            if c["log"]:
                want = 10 ** want
            assert math.isclose(got[i], want, rel_tol=1e-11, abs_tol=0), (c["weight"], c["log"], i, got[i], want)
            n += 1
    print("ok", n)
    """#

  @Test func numpyRecomputesTheAverage() throws {
    // A falling, noisy loss over decades with a NaN, an ∞ and a 0 among its values.
    var rng = SystemRandomNumberGenerator()
    var values: [Double] = (0..<300).map { i in
      pow(10, -Double(i) / 40) * Double.random(in: 0.2...5, using: &rng)
    }
    values[17] = .nan
    values[18] = .infinity
    values[120] = 0
    func json(_ v: Double) -> String {
      v.isNaN ? "NaN" : v == .infinity ? "Infinity" : v == -.infinity ? "-Infinity" : "\(v)"
    }
    var cases: [String] = []
    let floor = 1e-17
    for w in Smoothing.presets.dropFirst() + [0.37] {
      for log in [false, true] {
        let points = values.enumerated().map { (x: Double($0.offset), y: $0.element) }
        let smoothed = Smoothing.ema(
          points, weight: w, scale: log ? .log10(floor: floor) : .linear
        ).map(\.y)
        cases.append(
          "{\"weight\": \(w), \"log\": \(log), \"floor\": \(floor), \"values\": ["
            + values.map(json).joined(separator: ",") + "], \"smoothed\": ["
            + smoothed.map(json).joined(separator: ",") + "]}")
      }
    }
    let r = Launch.runAndWait(
      ["python3", "-c", Self.numpyCheck], stdin: .text("[" + cases.joined(separator: ",") + "]"),
      mergeStandardError: true)
    #expect(r.status == 0, "\(r.stdout)")
    // 4 weights × 2 scales × 298 finite values
    #expect(r.stdout == "ok \(4 * 2 * 298)\n", "\(r.stdout)")
  }
}
