namespace ArchGan.Model;

/// <summary>How each of the generator's stages doubles the side of its feature maps.</summary>
public enum Upsampling
{
    /// <summary>
    /// The article's 5x5 transposed convolution with stride 2. Its kernel overlaps itself unevenly (a 5-wide
    /// kernel at stride 2 covers alternate output pixels three times and twice), which draws a checkerboard
    /// the training has to learn away (Odena et al. 2016, "Deconvolution and Checkerboard Artifacts").
    /// </summary>
    TransposedConvolution,

    /// <summary>
    /// Nearest-neighbour upsampling by 2, then a 5x5 convolution with stride 1: every output pixel is made from
    /// the same number of inputs, so there is no checkerboard to unlearn (Odena et al. 2016; FastGAN, Liu et al.
    /// 2021, builds its generator this way). The same parameters as the transposed convolution, at about four
    /// times its multiply-adds.
    /// </summary>
    NearestThenConvolution,

    /// <summary>
    /// A 4x4 transposed convolution with stride 2 (padding 1), the layer of PyTorch's DCGAN example: its kernel
    /// side is a multiple of the stride, so each output pixel away from the border is reached by the same number
    /// of taps and the overlap draws no checkerboard (Odena et al. 2016), at 16/25 of the 5x5's multiply-adds
    /// and parameters.
    /// </summary>
    EvenTransposedConvolution,
}
