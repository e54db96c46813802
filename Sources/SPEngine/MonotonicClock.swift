#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Seconds on the monotonic clock (clock_gettime: a vDSO call, cheap enough per chunk of steps).
@inlinable
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
}
