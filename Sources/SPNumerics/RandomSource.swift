/// SplitMix64 (Steele, Lea & Flood 2014): expands one 64-bit seed into well-mixed state words.
public struct SplitMix64: Sendable {
  @usableFromInline var state: UInt64

  public init(seed: UInt64) { state = seed }

  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256** (Blackman & Vigna 2018) with uniform and standard-normal doubles.
///
/// Seeding: the four state words are the first four outputs of SplitMix64(seed). Uniform doubles
/// take the top 53 bits (`(next() >> 11) * 2⁻⁵³`, in [0, 1)). Normal doubles use Marsaglia's
/// polar method, which yields two normals per accepted pair; the second is kept for the next
/// call. The same seed always gives the same sequence on every machine (pure integer arithmetic
/// and correctly rounded `log`/`sqrt` from the C library).
public struct Xoshiro256: Sendable {
  public static let algorithmName = "xoshiro256** (SplitMix64 seeding), Marsaglia polar normals"

  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64
  @usableFromInline var spare: Double = 0
  @usableFromInline var hasSpare = false

  public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
  }

  @inlinable
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits.
  @inlinable
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in [a, b).
  @inlinable
  public mutating func uniform(_ a: Double, _ b: Double) -> Double {
    a + (b - a) * uniform()
  }

  /// A standard normal double (Marsaglia polar method).
  @inlinable
  public mutating func normal() -> Double {
    if hasSpare {
      hasSpare = false
      return spare
    }
    while true {
      // Two uniforms in (-1, 1) from one 64-bit draw each half: 32 bits would bias the tails, so
      // use one full 53-bit draw per coordinate.
      let u = 2 * uniform() - 1
      let v = 2 * uniform() - 1
      let q = u * u + v * v
      if q < 1 && q > 0 {
        let f = (-2 * _log(q) / q).squareRoot()
        spare = v * f
        hasSpare = true
        return u * f
      }
    }
  }

  /// Fills `count` doubles at `p` with standard normals.
  @inlinable
  public mutating func fillNormal(_ p: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { p[i] = normal() }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@usableFromInline
func _log(_ x: Double) -> Double { log(x) }
