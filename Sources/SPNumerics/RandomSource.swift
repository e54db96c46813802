import SPKernels

// The random streams live in SPKernels, where the lane engine (`LaneMLP`) draws them for many
// seeds at once; these names keep them where the rest of sptop looks for them.
public typealias Xoshiro256 = SPKernels.Xoshiro256
public typealias SplitMix64 = SPKernels.SplitMix64
