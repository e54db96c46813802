#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C maths library functions the charts need, so SPTUI needs no Foundation.
enum ScaleMath {
  /// Base-10 logarithm.
  static func lg(_ x: Double) -> Double { log10(x) }

  /// 10 to the power `x`.
  static func tenTo(_ x: Double) -> Double { pow(10, x) }
}
