#include "platform.h"

#if defined(__x86_64__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

int sptop_cpu_has_avx512(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  if (!(ecx & (1u << 27))) return 0; // OSXSAVE: xgetbv is usable
  // XCR0: SSE (1), AVX (2), opmask (5), ZMM_Hi256 (6), Hi16_ZMM (7) state saved by the OS.
  if ((xgetbv0() & 0xE6) != 0xE6) return 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  const unsigned int want = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
  return (ebx & want) == want; // F, DQ, CD, BW, VL
}
#else
int sptop_cpu_has_avx512(void) { return 0; }
#endif
