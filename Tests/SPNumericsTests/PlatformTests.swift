import CPlatform
import Foundation
import Testing

@testable import SPNumerics

/// The C shims of `CPlatform`.
@Suite struct PlatformTests {
  /// On glibc the fixed mmap threshold is accepted (mallopt returns 1); -1 says the build runs
  /// under a sanitizer, whose allocator stands in for glibc's (`.ci/run`'s ASan and TSan runs).
  @Test func mmapThresholdIsFixedOnGlibc() {
    #if canImport(Glibc)
      #expect([1, -1].contains(sptop_fix_mmap_threshold()))
    #else
      #expect([0, -1].contains(sptop_fix_mmap_threshold()))
    #endif
  }

  /// The kernel path follows the processor: AVX-512 by default exactly when it is available
  /// (SPTOP_KERNELS=avx2 in the environment forces the baseline).
  @Test func defaultPathFollowsTheProcessor() {
    let forced = ProcessInfo.processInfo.environment["SPTOP_KERNELS"] == "avx2"
    #expect(Kernels.path == (Kernels.avx512Available && !forced ? .avx512 : .avx2))
  }
}
