/// Fast, correctly rounded number formatting for the dashboard: fixed-width scientific values,
/// compact axis labels and fixed decimals. Hand-written (no Foundation) since it runs every frame.
///
/// Rounding is exact: the digits shown are the value of the `Double` rounded half-to-even at the
/// last digit shown, as C's `printf` does. Non-finite values read "nan", "inf" and "-inf".
public enum NumberFormat {
  /// `v` in scientific notation with `digits` significant digits (clamped to 1…14), at least two
  /// exponent digits: `sci(0.000123456)` is "1.23e-04", `sci(-5, digits: 2)` is "-5.0e+00".
  ///
  /// Non-negative values with exponents below 100 all take `sciWidth(digits:)` columns; negative
  /// ones take one more for the sign. Non-finite values read `nonFinite` when given (e.g. "—"),
  /// else "nan"/"inf"/"-inf", padded on the left to `sciWidth(digits:)`.
  public static func sci(_ v: Double, digits: Int = 3, nonFinite: String? = nil) -> String {
    let d = min(14, max(1, digits))
    guard v.isFinite else {
      let text = nonFinite ?? nonFiniteName(v)
      let pad = sciWidth(digits: d) - text.unicodeScalars.count
      return pad > 0 ? String(repeating: " ", count: pad) + text : text
    }
    var n: UInt64 = 0
    var exponent = 0
    if v != 0 {
      (n, exponent) = significant(v.magnitude, digits: d)
    }
    let negative = v < 0
    let expDigits = max(2, digitCount(UInt64(exponent.magnitude)))
    let length = (negative ? 1 : 0) + d + (d > 1 ? 1 : 0) + 2 + expDigits
    return String(unsafeUninitializedCapacity: length) { out in
      var w = Writer(out)
      if negative { w.put(UInt8(ascii: "-")) }
      w.digits(n, count: d, pointAfter: 1)
      w.put(UInt8(ascii: "e"))
      w.put(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
      w.digits(UInt64(exponent.magnitude), count: expDigits, pointAfter: 0)
      return w.count
    }
  }

  /// `v` in scientific notation in at most `width` columns: `sci(_:digits:nonFinite:)` with as
  /// many significant digits as fit, at most `digits`. `sci(1e-300, width: 8)` is "1.0e-300"
  /// (three digits would need nine columns); non-finite values are padded to `width` only.
  ///
  /// Never a different number: when not even one digit fits (`-1e+300` needs seven columns),
  /// the one-digit form is returned, longer than `width`, and the caller must cut it visibly
  /// (with an ellipsis).
  public static func sci(
    _ v: Double, width: Int, digits: Int = 3, nonFinite: String? = nil
  ) -> String {
    guard v.isFinite else {
      let text = nonFinite ?? nonFiniteName(v)
      let pad = min(width, sciWidth(digits: digits)) - text.unicodeScalars.count
      return pad > 0 ? String(repeating: " ", count: pad) + text : text
    }
    var d = min(14, max(1, digits))
    while true {
      let s = sci(v, digits: d)
      if d == 1 || s.utf8.count <= width { return s }
      d -= 1
    }
  }

  /// The columns `sci(_:digits:)` takes for a non-negative value with an exponent below 100.
  public static func sciWidth(digits: Int = 3) -> Int {
    let d = min(14, max(1, digits))
    return d + (d > 1 ? 1 : 0) + 4
  }

  /// A short label for an axis tick, with at most `significantDigits` (clamped to 1…14)
  /// significant digits and no trailing zeros: "0", "0.5", "10", "5000", "0.025", "12.5k",
  /// "2.5M", "1e-3", "2.5e-4", "1e15", "-3".
  ///
  /// Magnitudes (after rounding) from 0.01 up to 9999 are written plainly; from 1e4 up to 1e15
  /// with a k, M, G or T suffix; smaller and larger ones in short scientific notation.
  public static func compact(_ v: Double, significantDigits: Int = 3) -> String {
    guard v.isFinite else { return nonFiniteName(v) }
    if v == 0 { return "0" }
    let d = min(14, max(1, significantDigits))
    var (n, exponent) = significant(v.magnitude, digits: d)
    var count = d
    while count > 1, n % 10 == 0 {
      n /= 10
      count -= 1
    }
    let sign = v < 0 ? "-" : ""
    if exponent >= -2 && exponent < 4 {
      return sign + plain(n, count: count, leadingExponent: exponent)
    }
    if exponent >= 4 && exponent < 15 {
      let group = exponent / 3
      let suffix: String
      switch group {
      case 1: suffix = "k"
      case 2: suffix = "M"
      case 3: suffix = "G"
      default: suffix = "T"
      }
      return sign + plain(n, count: count, leadingExponent: exponent - 3 * group) + suffix
    }
    return sign + plain(n, count: count, leadingExponent: 0) + "e" + String(exponent)
  }

  /// `v` with exactly `decimals` digits after the point (clamped to 0…30): `fixed(0.0015, 3)` is
  /// "0.002"; "-0.000" style negative zeros lose their sign.
  public static func fixed(_ v: Double, decimals: Int) -> String {
    guard v.isFinite else { return nonFiniteName(v) }
    let f = min(30, max(0, decimals))
    var n: UInt64 = 0
    var e = -f
    if v != 0 {
      (n, e) = rounded(v.magnitude, at: -f)
    }
    let negative = v < 0 && n != 0
    let count = digitCount(n)
    let intDigits = max(1, count + e)
    let length = (negative ? 1 : 0) + intDigits + (f > 0 ? 1 + f : 0)
    return String(unsafeUninitializedCapacity: length) { out in
      var w = Writer(out)
      if negative { w.put(UInt8(ascii: "-")) }
      // The digit of n·10^e at decimal position `pos` (0 = units).
      for pos in stride(from: intDigits - 1, through: -f, by: -1) {
        if pos == -1 { w.put(UInt8(ascii: ".")) }
        let i = pos - e  // index into n's digits counted from the least significant
        w.put(UInt8(ascii: "0") + (i >= 0 && i < count ? digit(n, at: i) : 0))
      }
      return w.count
    }
  }

  // MARK: - Digits

  /// `magnitude` (finite, > 0) rounded to `digits` significant digits: an integer of exactly
  /// `digits` digits and the decimal exponent of its leading digit.
  static func significant(_ magnitude: Double, digits d: Int) -> (UInt64, Int) {
    let (s, p) = shortest(magnitude)
    var leading = digitCount(s) - 1 + p
    var (n, e) = rounded(magnitude, at: leading - d + 1)
    if n != 0, digitCount(n) + e - 1 < leading {
      // A subnormal's shortest digits can begin a place above its exact value's (2 × 5e-324
      // reads "1e-323" but is 9.88…e-324): round again one place lower.
      leading -= 1
      (n, e) = rounded(magnitude, at: leading - d + 1)
    }
    if digitCount(n) + e - 1 > leading {  // rounding carried into a new digit: 9.99 -> 10.0
      leading += 1
    }
    // Express n·10^e with exactly d digits and its last digit at position leading - d + 1.
    let shift = e - (leading - d + 1)
    if shift > 0 {
      n *= pow10(shift)
    } else if shift < 0 {
      n /= pow10(-shift)  // only after a carry: the dropped digit is a zero
    }
    return (n, leading)
  }

  /// `magnitude` (finite, > 0) rounded half-to-even to a multiple of 10^k: n·10^e with e ≥ k.
  static func rounded(_ magnitude: Double, at k: Int) -> (UInt64, Int) {
    let (s, p) = shortest(magnitude)
    if p >= k {
      // The shortest digits, padded with zeros, are the value rounded at k when the Double's
      // spacing is far below 10^k: always for normal numbers at the ≤ 14 digits asked for here.
      // A subnormal's spacing is coarse (5e-324 is 4.94…e-324), so it is rounded exactly.
      if magnitude < .leastNormalMagnitude { return roundedExactly(magnitude, at: k) }
      return (s, p)
    }
    let r = k - p
    let ns = digitCount(s)
    if r > ns { return (0, k) }
    let unit = pow10(r)
    var q = s / unit
    let rem = s % unit
    let half = unit / 2
    let up: Bool
    // The shortest digits round like the exact value unless they end exactly halfway, as long
    // as few digits are kept; otherwise compare the exact binary value with the midpoint.
    if rem != half && ns - r <= 14 {
      up = rem > half
    } else {
      let c = ExactDecimal.compare(magnitude, withTimesPowerOfTen: q * 10 + 5, k - 1)
      up = c > 0 || (c == 0 && q % 2 == 1)
    }
    if up { q += 1 }
    return (q, k)
  }

  /// `magnitude` (finite, > 0) rounded half-to-even to a multiple of 10^k by exact comparisons:
  /// the largest q with q·10^k ≤ magnitude by bisection, then the tie rule. For subnormals.
  static func roundedExactly(_ magnitude: Double, at k: Int) -> (UInt64, Int) {
    var lo: UInt64 = 0  // lo·10^k ≤ magnitude
    var hi: UInt64 = 1  // hi·10^k > magnitude
    while ExactDecimal.compare(magnitude, withTimesPowerOfTen: hi, k) >= 0 { hi &*= 2 }
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if ExactDecimal.compare(magnitude, withTimesPowerOfTen: mid, k) >= 0 {
        lo = mid
      } else {
        hi = mid
      }
    }
    let c = ExactDecimal.compare(magnitude, withTimesPowerOfTen: lo * 10 + 5, k - 1)
    return (c > 0 || (c == 0 && lo % 2 == 1)) ? (lo + 1, k) : (lo, k)
  }

  /// The shortest decimal that reads back as `magnitude` (finite, > 0): s·10^p, s without
  /// trailing zeros.
  static func shortest(_ magnitude: Double) -> (UInt64, Int) {
    var s: UInt64 = 0
    var p = 0
    var afterPoint = false
    var expSign = 1
    var exp = 0
    var inExponent = false
    for byte in magnitude.description.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let dgt = UInt64(byte - UInt8(ascii: "0"))
        if inExponent {
          exp = exp * 10 + Int(dgt)
        } else {
          s = s * 10 + dgt
          if afterPoint { p -= 1 }
        }
      case UInt8(ascii: "."): afterPoint = true
      case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
      case UInt8(ascii: "-"): expSign = -1
      default: break
      }
    }
    p += expSign * exp
    while s != 0, s % 10 == 0 {
      s /= 10
      p += 1
    }
    return (s, p)
  }

  static func digitCount(_ n: UInt64) -> Int {
    var count = 1
    var v = n
    while v >= 10 {
      v /= 10
      count += 1
    }
    return count
  }

  static func pow10(_ k: Int) -> UInt64 {
    var r: UInt64 = 1
    for _ in 0..<k { r &*= 10 }
    return r
  }

  static func digit(_ n: UInt64, at i: Int) -> UInt8 {
    UInt8((n / pow10(i)) % 10)
  }

  static func nonFiniteName(_ v: Double) -> String {
    v.isNaN ? "nan" : (v < 0 ? "-inf" : "inf")
  }

  /// `count` digits of n whose leading digit has decimal exponent `e`, written plainly.
  static func plain(_ n: UInt64, count: Int, leadingExponent e: Int) -> String {
    let intDigits = max(1, e + 1)
    let fraction = max(0, count - 1 - e)
    let length = intDigits + (fraction > 0 ? 1 + fraction : 0)
    return String(unsafeUninitializedCapacity: length) { out in
      var w = Writer(out)
      for pos in stride(from: intDigits - 1, through: -fraction, by: -1) {
        if pos == -1 { w.put(UInt8(ascii: ".")) }
        let i = pos - (e - count + 1)
        w.put(UInt8(ascii: "0") + (i >= 0 && i < count ? digit(n, at: i) : 0))
      }
      return w.count
    }
  }

  /// Appends ASCII bytes to a string's uninitialised storage.
  struct Writer {
    let out: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    init(_ out: UnsafeMutableBufferPointer<UInt8>) { self.out = out }

    mutating func put(_ byte: UInt8) {
      guard count < out.count else { return }
      out[count] = byte
      count += 1
    }

    /// The `count` lowest digits of n, most significant first, with a point after `pointAfter`
    /// digits (none when 0 or when it would come last).
    mutating func digits(_ n: UInt64, count c: Int, pointAfter: Int) {
      for i in 0..<c {
        if pointAfter > 0, i == pointAfter { put(UInt8(ascii: ".")) }
        put(UInt8(ascii: "0") + NumberFormat.digit(n, at: c - 1 - i))
      }
    }
  }
}
