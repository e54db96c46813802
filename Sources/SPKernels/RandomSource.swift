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
/// take the top 53 bits (`(next() >> 11) * 2⁻⁵³`, in [0, 1)). Normal doubles use a 256-layer
/// ziggurat (`normal()`). The same seed always gives the same sequence (integer arithmetic, and
/// the C library's `log`/`exp` in the rare slow paths, the same on every machine of this kind).
public struct Xoshiro256: Sendable {
  public static let algorithmName = "xoshiro256** (SplitMix64 seeding), 256-layer ziggurat normals"

  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// The stream whose state words are `state` (the lane engine hands one seed back here).
  @inlinable
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
  }

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

  /// A standard normal double: the ziggurat method (Marsaglia & Tsang 2000) with 256 layers,
  /// the layer from the low 8 bits of one 64-bit draw and a symmetric uniform from its top 52
  /// bits (so values have 52-bit resolution); about 99% of draws take only that one draw, a
  /// multiply and a compare. The tail beyond R = 3.654… uses Marsaglia's exponential method.
  @inlinable
  public mutating func normal() -> Double {
    normal(from: next())
  }

  /// The ziggurat's draw whose first 64 bits are `bits` (already taken from this stream):
  /// `normal()` is `normal(from: next())`. The lane engine takes the fast path for eight seeds
  /// at once and comes here, for one seed, only when that path rejects (about 1% of draws).
  @inlinable
  public mutating func normal(from first: UInt64) -> Double {
    let t = Ziggurat.tables
    var bits = first
    while true {
      let i = Int(truncatingIfNeeded: bits & 0xFF)
      // A uniform in (-1, 1): 52 random mantissa bits give [1, 2), mapped to [-1, 1).
      let u = 2 * (Double(bitPattern: 0x3FF0_0000_0000_0000 | (bits >> 12)) - 1) - 1
      let x = u * t.x[i]
      if abs(x) < t.x[i + 1] { return x }
      if i == 0 { return tail(negative: u < 0) }
      if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * uniform() < _exp(-0.5 * x * x) { return x }
      bits = next()
    }
  }

  /// The four state words (the lane engine keeps many streams side by side).
  public var state: (UInt64, UInt64, UInt64, UInt64) {
    get { (s0, s1, s2, s3) }
    set { (s0, s1, s2, s3) = newValue }
  }

  /// A draw from the normal tail beyond R (Marsaglia 1964).
  @usableFromInline
  mutating func tail(negative: Bool) -> Double {
    var x = 1.0
    var y = 0.0
    while -2 * y < x * x {
      x = _log(1 - uniform()) / Ziggurat.r
      y = _log(1 - uniform())
    }
    return negative ? x - Ziggurat.r : Ziggurat.r - x
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

@usableFromInline
func _exp(_ x: Double) -> Double { exp(x) }

/// The tables of the 256-layer normal ziggurat, computed once from R and V.
public struct Ziggurat: Sendable {
  /// The start of the tail, and the area of each layer.
  @usableFromInline static let r = 3.6541528853610088
  static let v = 0.00492867323399

  /// Layer edges x[0…256] (x[0] = V/f(R) the base strip, x[1] = R, x[256] = 0) and f(x[i]).
  public let x: [Double]
  public let f: [Double]

  public static let tables = Ziggurat()

  init() {
    func pdf(_ t: Double) -> Double { exp(-0.5 * t * t) }
    var x = [Double](repeating: 0, count: 257)
    x[0] = Self.v / pdf(Self.r)
    x[1] = Self.r
    for i in 2..<256 {
      x[i] = (-2 * log(Self.v / x[i - 1] + pdf(x[i - 1]))).squareRoot()
    }
    x[256] = 0
    self.x = x
    f = x.map(pdf)
  }
}
