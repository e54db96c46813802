import CPlatform
import Foundation
import Testing

@testable import SPNumerics

/// The C shims of `CPlatform`.
@Suite struct PlatformTests {
  /// On glibc the fixed mmap threshold is accepted (mallopt returns 1).
  @Test func mmapThresholdIsFixedOnGlibc() {
    #if canImport(Glibc)
      #expect(sptop_fix_mmap_threshold() == 1)
    #else
      #expect(sptop_fix_mmap_threshold() == 0)
    #endif
  }

  /// The kernel path follows the processor: AVX-512 by default exactly when it is available
  /// (SPTOP_KERNELS=avx2 in the environment forces the baseline).
  @Test func defaultPathFollowsTheProcessor() {
    let forced = ProcessInfo.processInfo.environment["SPTOP_KERNELS"] == "avx2"
    #expect(Kernels.path == (Kernels.avx512Available && !forced ? .avx512 : .avx2))
  }
}
