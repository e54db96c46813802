#ifndef SPTOP_PLATFORM_H
#define SPTOP_PLATFORM_H

// What Swift's Glibc module does not expose: the processor's features and malloc tuning.

/// 1 when the processor has AVX-512 F, DQ, CD, BW and VL (the x86-64-v4 level) and the operating
/// system saves the AVX-512 registers (XCR0 opmask, ZMM_Hi256 and Hi16_ZMM set); 0 otherwise,
/// and always 0 on processors other than x86-64.
int sptop_cpu_has_avx512(void);

/// Fixes glibc's mmap threshold at 256 KiB (mallopt M_MMAP_THRESHOLD). By default glibc raises
/// the threshold each time a large block is freed, after which large short-lived buffers come
/// from the heap and fragment it. Returns 1 on success, 0 where there is nothing to do or it
/// failed, -1 in a build with AddressSanitizer or ThreadSanitizer (their allocator replaces
/// glibc's and ignores the setting).
int sptop_fix_mmap_threshold(void);

#endif
