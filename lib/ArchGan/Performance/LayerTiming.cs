namespace ArchGan.Performance;

/// <summary>
/// One convolution of a model timed alone in float32 by <see cref="TrainingBenchmark.Layers"/>: its shape,
/// its work per pass and the median time of each pass. A training iteration runs each of G's convolutions
/// once in each pass; each of D's forward three times (real and fake in the D step, fake in the G step),
/// backward for the weights twice (the D step) and backward for the input three times (D1 only once: the
/// images need a gradient only in the G step, to reach G).
/// </summary>
/// <param name="Name">G1, G2, … in G's order, D1, D2, … in D's.</param>
/// <param name="Transposed">A transposed convolution (G's) or a plain one (D's).</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="InSide">Input side, in pixels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Stride">Stride (for a transposed convolution, the factor it enlarges by).</param>
/// <param name="Gflop">Work of one pass at the batch size: 2 FLOP per multiply-add; each backward pass does as much as the forward.</param>
/// <param name="ForwardSeconds">The forward pass, without autograd.</param>
/// <param name="InputGradientSeconds">The backward pass for the input's gradient alone.</param>
/// <param name="WeightGradientSeconds">The backward pass for the weights' and bias's gradients alone.</param>
/// <param name="WeightGradientAsForwardConvolution">
/// Whether training computes this layer's weight gradient in float32 as a forward convolution over the batch
/// (<c>BatchWeightGradient</c>), where that measured faster than libtorch's own; the timing is of that route.
/// </param>
public sealed record LayerTiming(string Name, bool Transposed, long InChannels, long InSide, long OutChannels, long Stride,
    double Gflop, double ForwardSeconds, double InputGradientSeconds, double WeightGradientSeconds, bool WeightGradientAsForwardConvolution)
{
    /// <summary>Output side, in pixels.</summary>
    public long OutSide => Transposed ? InSide * Stride : InSide / Stride;
    /// <summary>Forward speed in GFLOP/s.</summary>
    public double ForwardGflops => Gflop / ForwardSeconds;
    /// <summary>Input-gradient speed in GFLOP/s.</summary>
    public double InputGradientGflops => Gflop / InputGradientSeconds;
    /// <summary>Weight-gradient speed in GFLOP/s.</summary>
    public double WeightGradientGflops => Gflop / WeightGradientSeconds;
}
