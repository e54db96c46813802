#include "platform.h"

#if defined(__linux__)
#include <malloc.h>  // also defines __GLIBC__ when the C library is glibc
#endif

#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
int sptop_fix_mmap_threshold(void) { return mallopt(M_MMAP_THRESHOLD, 256 * 1024) == 1; }
#else
int sptop_fix_mmap_threshold(void) { return 0; }
#endif
