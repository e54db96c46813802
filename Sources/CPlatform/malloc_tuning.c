#include "platform.h"

#if defined(__linux__)
#include <malloc.h>  // also defines __GLIBC__ when the C library is glibc
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SPTOP_SANITIZER_ALLOCATOR 1
#endif
#endif

#if defined(SPTOP_SANITIZER_ALLOCATOR)
// A sanitizer's allocator stands in for glibc's and ignores its tuning.
int sptop_fix_mmap_threshold(void) { return -1; }
#elif defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
int sptop_fix_mmap_threshold(void) { return mallopt(M_MMAP_THRESHOLD, 256 * 1024) == 1; }
#else
int sptop_fix_mmap_threshold(void) { return 0; }
#endif
