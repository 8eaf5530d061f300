namespace ArchGan.Model;

/// <summary>
/// The layer plan shared by <see cref="Generator"/> and <see cref="Discriminator"/>: both work between
/// an 8 x 8 grid and the image, one stride-2 stage per doubling, so the number of stages follows the size.
/// </summary>
public static class Architecture
{
    /// <summary>Side of the smallest feature map: the generator starts there, the discriminator ends there.</summary>
    public const int BaseSize = 8;

    /// <summary>
    /// Kernel side of every convolution, as in the article; only the generator's stages with
    /// <see cref="Upsampling.EvenTransposedConvolution"/> take <see cref="EvenKernel"/> instead.
    /// </summary>
    public const int Kernel = 5;

    /// <summary>Kernel side of the generator's stages with <see cref="Upsampling.EvenTransposedConvolution"/>.</summary>
    public const int EvenKernel = 4;

    /// <summary>
    /// Padding and output padding that make a transposed convolution of side <paramref name="kernel"/> at
    /// <paramref name="stride"/> multiply the side by exactly the stride, like TensorFlow's padding="same":
    /// 2 and 1 for the article's 5 at stride 2, 1 and 0 for 4 at stride 2.
    /// </summary>
    public static (int Padding, int OutputPadding) TransposedPadding(int kernel, int stride) =>
        (kernel - stride) % 2 == 0 ? ((kernel - stride) / 2, 0) : (kernel / 2, stride - 1);

    /// <summary>Number of stride-2 stages between 8 x 8 and <paramref name="imageSize"/>: 2 at 32, 4 at 128.</summary>
    public static int Stages(int imageSize)
    {
        if (!Hyperparameters.SupportedImageSizes.Contains(imageSize))
            throw new HyperparameterException(nameof(Hyperparameters.ImageSize), imageSize, string.Join(", ", Hyperparameters.SupportedImageSizes));
        return (int)Math.Round(Math.Log2(imageSize / (double)BaseSize));
    }

    /// <summary>
    /// Channels of stage <paramref name="level"/> counted from the image side: 64 at level 0, doubling per
    /// level (the article's 64, 128, 256, 512, 1024), times the width multiplier, rounded to a multiple of
    /// <see cref="ChannelMultiple"/>.
    /// </summary>
    public static int Channels(int level, double width) =>
        Math.Max(ChannelMultiple, (int)Math.Round(64 * Math.Pow(2, level) * width / ChannelMultiple) * ChannelMultiple);

    /// <summary>
    /// Every stage's channel count is a multiple of this: the 8 floats a block of oneDNN's AVX2 convolutions
    /// holds. A count that is not pads the last block, and on the AMD Zen 5 machines this project is built on
    /// (oneDNN capped at AVX2, <see cref="Platform.OneDnnIsa"/>), libtorch's own convolutions that sum over a
    /// padded block sometimes returned NaN: about one call in a hundred at 7 and 9 channels, none in
    /// thousands at multiples of 8. The presets' counts were multiples of 8 already; only odd widths change.
    /// </summary>
    public const int ChannelMultiple = 8;

    /// <summary>
    /// Bytes of the largest activation of a training iteration: the generator's last feature map (batch x
    /// 64·width x side x side floats). What a host sizes the C heap's reuse of freed blocks by
    /// (<see cref="Platform.NativeHeap.KeepFreedMemory(long)"/>).
    /// </summary>
    public static long LargestActivationBytes(Hyperparameters hp) =>
        (long)hp.BatchSize * Channels(0, hp.Width) * hp.ImageSize * hp.ImageSize * sizeof(float);
}
