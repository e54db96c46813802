import Foundation
import Testing

@testable import SPTUI

@Suite struct NumberFormatTests {
  @Test func scientificHasFixedWidthAndExactRounding() {
    #expect(NumberFormat.sci(0.000123456) == "1.23e-04")
    #expect(NumberFormat.sci(123456) == "1.23e+05")
    #expect(NumberFormat.sci(-5, digits: 2) == "-5.0e+00")
    #expect(NumberFormat.sci(0) == "0.00e+00")
    #expect(NumberFormat.sci(7, digits: 1) == "7e+00")
    #expect(NumberFormat.sci(1e-300) == "1.00e-300")
    #expect(NumberFormat.sci(9.996) == "1.00e+01")  // rounding carries into a new digit
    #expect(NumberFormat.sciWidth(digits: 3) == 8)
    #expect(NumberFormat.sci(0.5).count == NumberFormat.sciWidth())
  }

  @Test func tiesFollowTheExactBinaryValue() {
    // 1.2345 is stored as 1.23449999…, 0.125 is exact (a tie, to even), 2.675 is 2.67499999…
    #expect(NumberFormat.sci(1.2345, digits: 4) == "1.234e+00")
    #expect(NumberFormat.sci(0.125, digits: 2) == "1.2e-01")
    #expect(NumberFormat.sci(0.375, digits: 2) == "3.8e-01")
    #expect(NumberFormat.sci(2.5, digits: 1) == "2e+00")
    #expect(NumberFormat.fixed(2.675, decimals: 2) == "2.67")
    #expect(NumberFormat.fixed(1.005, decimals: 2) == "1.00")
    #expect(NumberFormat.fixed(0.5, decimals: 0) == "0")
    #expect(NumberFormat.fixed(1.5, decimals: 0) == "2")
  }

  @Test func scientificMatchesPrintfOnManyValues() {
    var rng = SystemRandomNumberGenerator()
    var mismatches: [String] = []
    for _ in 0..<3000 {
      let mantissa = Double.random(in: 1..<10, using: &rng)
      let exponent = Int.random(in: -310...300, using: &rng)
      var v = mantissa * pow(10, Double(exponent))
      if Bool.random(using: &rng) { v = -v }
      guard v.isFinite, v != 0 else { continue }
      let digits = Int.random(in: 1...8, using: &rng)
      let ours = NumberFormat.sci(v, digits: digits)
      let theirs = String(format: "%.\(digits - 1)e", v)
      if ours != theirs { mismatches.append("\(v) digits \(digits): \(ours) vs \(theirs)") }
    }
    // Short decimals exercise the exact halfway cases.
    for k in 1...2000 {
      let v = Double(k) / 1000 + 0.0005
      for digits in 1...4
      where NumberFormat.sci(v, digits: digits)
        != String(
          format: "%.\(digits - 1)e", v)
      {
        mismatches.append("\(v) digits \(digits)")
      }
      if NumberFormat.fixed(v, decimals: 3) != String(format: "%.3f", v) {
        mismatches.append("fixed \(v)")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
  }

  @Test func nonFiniteValues() {
    #expect(NumberFormat.sci(.nan) == "     nan")
    #expect(NumberFormat.sci(.infinity) == "     inf")
    #expect(NumberFormat.sci(-.infinity) == "    -inf")
    #expect(NumberFormat.sci(.nan, nonFinite: "—") == "       —")
    #expect(NumberFormat.sci(.nan, digits: 2, nonFinite: Glyphs.ascii.missing) == "      -")
    #expect(NumberFormat.compact(.nan) == "nan")
    #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "-inf")
  }

  @Test func compactAxisLabels() {
    let cases: [(Double, String)] = [
      (0, "0"), (0.5, "0.5"), (10, "10"), (5000, "5000"), (2500, "2500"), (9990, "9990"),
      (9999, "10k"),
      (12_500, "12.5k"), (25_000, "25k"), (2.5e6, "2.5M"), (1e9, "1G"), (3e12, "3T"),
      (1e15, "1e15"), (0.001, "1e-3"), (0.00025, "2.5e-4"), (0.01, "0.01"), (0.025, "0.025"),
      (-10, "-10"), (-0.5, "-0.5"), (1e-16, "1e-16"), (0.30000000000000004, "0.3"),
      (123.456, "123"), (99_999, "100k"), (0.0099999, "0.01"), (1.0, "1"),
    ]
    for (value, label) in cases {
      #expect(NumberFormat.compact(value) == label, "\(value)")
    }
    #expect(NumberFormat.compact(123.456, significantDigits: 5) == "123.46")
  }

  @Test func fixedDecimals() {
    #expect(NumberFormat.fixed(0.0015, decimals: 3) == "0.002")
    #expect(NumberFormat.fixed(0.001, decimals: 3) == "0.001")
    #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(NumberFormat.fixed(-12.5, decimals: 1) == "-12.5")
    #expect(NumberFormat.fixed(123456.789, decimals: 0) == "123457")
    #expect(NumberFormat.fixed(0, decimals: 2) == "0.00")
    #expect(NumberFormat.fixed(999.96, decimals: 1) == "1000.0")
  }
}
