#ifndef SPTOP_CPU_FEATURES_H
#define SPTOP_CPU_FEATURES_H

/// 1 when the processor has AVX-512 F, DQ, CD, BW and VL (the x86-64-v4 level) and the operating
/// system saves the AVX-512 registers (XCR0 opmask, ZMM_Hi256 and Hi16_ZMM set); 0 otherwise,
/// and always 0 on processors other than x86-64.
int sptop_cpu_has_avx512(void);

#endif
