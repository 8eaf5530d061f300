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
}
