import Foundation
import Testing

@testable import SPTUI

/// `NumberFormat.sci(_:width:)` over the whole range of Double, at every width a cell uses: the
/// text either fits and reads back as the value to the precision shown, or does not fit at all
/// (the caller then cuts it visibly); never a different number.
@Suite struct NumberFitTests {
  /// Every kind of Double: zeros, subnormals, the extremes, non-finite, exponents of every
  /// length, values that round up into a new digit, and random bit patterns.
  static func values() -> [Double] {
    var v: [Double] = [
      0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .nan, .infinity, -.infinity,
      1e-300, 9.34e248, -9.34e248, 9.996e99, 9.9996e-100, 1, -1, 0.5, 123456, 1e100, 1e-100,
      2.2250738585072014e-308,
    ]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<4000 {
      let bits = UInt64.random(in: 0...UInt64.max, using: &rng)
      v.append(Double(bitPattern: bits))
    }
    for e in -324...308 { v.append(Double("9.99\(Int.random(in: 0...9))e\(e)") ?? 1) }
    return v
  }

  @Test(arguments: [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14])
  func fitsOrSaysItDoesNot(width: Int) throws {
    for v in Self.values() {
      let s = NumberFormat.sci(v, width: width, digits: 3, nonFinite: "—")
      let columns = s.unicodeScalars.count
      if !v.isFinite {
        #expect(s.trimmingCharacters(in: .whitespaces) == "—")
        continue
      }
      let oneDigit = NumberFormat.sci(v, digits: 1)
      if columns > width {
        // Only when not even one digit fits, and then it is the one-digit form, whole.
        #expect(s == oneDigit && oneDigit.utf8.count > width, "\(v) at \(width): \(s)")
        continue
      }
      // Read back in extended precision: "2e+308" and subnormal units are beyond Double.
      let parsed = try #require(Float80(s), "\(s) does not parse")
      // Shown precision: half a unit of the last digit shown.
      let mantissa = s.split(separator: "e")[0]
      let digits = mantissa.filter(\.isNumber).count
      let exponent = try #require(Int(s.split(separator: "e")[1]))
      let halfUnit = 0.5 * Self.power(exponent - digits + 1)
      if v == 0 {
        #expect(parsed == 0)
      } else {
        #expect(abs(parsed - Float80(v)) <= halfUnit * (1 + 1e-12), "\(v) at \(width): \(s)")
        #expect(parsed.sign == v.sign, "\(v) shows \(s)")
      }
      // The most digits that fit (up to three) are shown.
      if digits < 3 {
        #expect(NumberFormat.sci(v, digits: digits + 1).utf8.count > width, "\(v): \(s)")
      }
    }
  }

  /// 10^k in extended precision (exact for the exponents here up to its 64-bit significand).
  static func power(_ k: Int) -> Float80 {
    var r: Float80 = 1
    for _ in 0..<abs(k) { r *= 10 }
    return k < 0 ? 1 / r : r
  }

  /// Subnormals have few bits: their shortest decimal is not their value to three digits.
  @Test func subnormalsShowTheirOwnDigits() {
    #expect(NumberFormat.sci(.leastNonzeroMagnitude) == "4.94e-324")
    #expect(NumberFormat.sci(2 * .leastNonzeroMagnitude) == "9.88e-324")
    #expect(NumberFormat.sci(3 * .leastNonzeroMagnitude, digits: 5) == "1.4822e-323")
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let v = Double(bitPattern: UInt64.random(in: 1..<(1 << 52), using: &rng))
      let d = Int.random(in: 1...8, using: &rng)
      #expect(NumberFormat.sci(v, digits: d) == String(format: "%.\(d - 1)e", v), "\(v)")
    }
  }

  @Test func theIssuesExamples() {
    #expect(NumberFormat.sci(1e-300, width: 8) == "1.0e-300")
    #expect(NumberFormat.sci(9.34e248, width: 8) == "9.3e+248")
    #expect(NumberFormat.sci(-9.34e248, width: 8) == "-9e+248")
    #expect(NumberFormat.sci(0.00123, width: 8) == "1.23e-03")
    #expect(NumberFormat.sci(-1e300, width: 6) == "-1e+300")  // too long: the caller cuts it
  }

  @Test func namesKeepTheirSuffixWhenCut() {
    #expect("penalized-scaled#2".truncatedKeepingSuffix(to: 14, ellipsis: "…") == "penalized-s…#2")
    #expect("penalized#2".truncatedKeepingSuffix(to: 14, ellipsis: "…") == "penalized#2")
    #expect("penalized#12".truncatedKeepingSuffix(to: 10, ellipsis: "…") == "penali…#12")
    #expect("vanilla-long".truncatedKeepingSuffix(to: 8, ellipsis: "…") == "vanilla…")
    #expect("x#123456".truncatedKeepingSuffix(to: 5, ellipsis: "…") == "x#12…")
    #expect(
      "sptop-20261130-130501.jsonl".truncatedInTheMiddle(to: 16, ellipsis: "…")
        == "sptop-20…1.jsonl")
    #expect("short.jsonl".truncatedInTheMiddle(to: 16, ellipsis: "…") == "short.jsonl")
  }
}
