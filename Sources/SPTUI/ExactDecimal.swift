/// Exact comparison of a `Double` with a decimal number, for the rare roundings that the
/// shortest decimal digits cannot decide; big-integer arithmetic on 32-bit limbs.
enum ExactDecimal {
  /// The sign of `magnitude − n·10^k` (−1, 0 or 1), computed exactly; `magnitude` finite, ≥ 0.
  static func compare(_ magnitude: Double, withTimesPowerOfTen n: UInt64, _ k: Int) -> Int {
    // magnitude = m·2^q exactly.
    var m = UInt64(magnitude.significandBitPattern)
    var q: Int
    if magnitude.exponentBitPattern == 0 {
      q = -1074
    } else {
      m |= 1 << 52
      q = Int(magnitude.exponentBitPattern) - 1075
    }
    // Compare m·2^q with n·5^k·2^k by moving negative powers to the other side.
    var lhs = BigUInt(m)
    var rhs = BigUInt(n)
    q -= k
    if q >= 0 { lhs.shiftLeft(q) } else { rhs.shiftLeft(-q) }
    if k >= 0 { rhs.multiplyByPowerOfFive(k) } else { lhs.multiplyByPowerOfFive(-k) }
    return lhs.compare(rhs)
  }

  /// An unsigned integer of any size, least significant limb first.
  struct BigUInt {
    var limbs: [UInt32]

    init(_ v: UInt64) {
      limbs = [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]
      trim()
    }

    mutating func trim() {
      while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by f: UInt32) {
      var carry: UInt64 = 0
      for i in limbs.indices {
        let p = UInt64(limbs[i]) * UInt64(f) + carry
        limbs[i] = UInt32(truncatingIfNeeded: p)
        carry = p >> 32
      }
      if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func multiplyByPowerOfFive(_ k: Int) {
      var left = k
      while left >= 13 {
        multiply(by: 1_220_703_125)  // 5^13
        left -= 13
      }
      var f: UInt32 = 1
      for _ in 0..<left { f *= 5 }
      if f > 1 { multiply(by: f) }
    }

    mutating func shiftLeft(_ bits: Int) {
      guard !limbs.isEmpty, bits > 0 else { return }
      let words = bits / 32
      let rest = UInt32(bits % 32)
      if rest > 0 {
        var carry: UInt32 = 0
        for i in limbs.indices {
          let v = limbs[i]
          limbs[i] = (v << rest) | carry
          carry = v >> (32 - rest)
        }
        if carry != 0 { limbs.append(carry) }
      }
      if words > 0 { limbs.insert(contentsOf: repeatElement(0, count: words), at: 0) }
    }

    func compare(_ other: BigUInt) -> Int {
      if limbs.count != other.limbs.count { return limbs.count < other.limbs.count ? -1 : 1 }
      for i in stride(from: limbs.count - 1, through: 0, by: -1) where limbs[i] != other.limbs[i] {
        return limbs[i] < other.limbs[i] ? -1 : 1
      }
      return 0
    }
  }
}
