namespace ArchGan.Model;

/// <summary>The number type the convolutions compute in.</summary>
public enum Precision
{
    /// <summary>32-bit floats throughout, as in the article.</summary>
    Float32,
    /// <summary>
    /// Convolutions (forward and backward) in bfloat16: the same 8-bit exponent as float32 with a 7-bit
    /// mantissa, so no loss scaling is needed. Weights, BatchNorm and the optimizer's moments stay float32.
    /// </summary>
    BFloat16,
    /// <summary>
    /// <see cref="BFloat16"/> on a CPU with bfloat16 instructions (AVX512-BF16 or AMX on x86, BF16 on Arm),
    /// where it trains the article's full-width model faster (docs/performance.md, "bfloat16");
    /// <see cref="Float32"/> on other CPUs,
    /// where bfloat16 is emulated and slower, and on CUDA. <see cref="PrecisionChoice"/> decides.
    /// </summary>
    Auto,
}
