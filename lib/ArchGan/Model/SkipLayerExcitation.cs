using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArchGan.Model;

/// <summary>
/// FastGAN's skip-layer excitation (Liu et al. 2021, "Towards Faster and Stabilized GAN Training for High-fidelity
/// Few-shot Image Synthesis", sec. 3.1): a small feature map far up the generator, pooled to 4 x 4, decides how
/// much of each channel of a large one to let through. The gate is one number per channel, so it costs almost
/// nothing, yet it gives the last stages a short path back to the first, the way a residual connection does, and
/// lets the coarse layout steer the fine texture. Shapes for the 8 x 8 → 128 x 64 x 64 gate of the article's
/// width in the comments.
/// </summary>
public sealed class SkipLayerExcitation : Module<Tensor, Tensor, Tensor>
{
    /// <summary>The side the small feature map is pooled to before its 4x4 convolution.</summary>
    public const int PooledSide = 4;

    // Field names are checkpoint keys ("excitations.0.squeeze.weight"): keep them.
    private readonly AdaptiveAvgPool2d pool;  // 1024 x 4 x 4
    private readonly Conv2d squeeze;          // 128 x 1 x 1: a 4x4 convolution without padding
    private readonly SafeLeakyReLU act;
    private readonly Conv2d excite;           // 128 x 1 x 1: a 1x1 convolution
    private readonly Sigmoid gate;            // each channel's share, in (0, 1)

    /// <summary>A gate from a <paramref name="lowChannels"/>-channel map onto a <paramref name="highChannels"/>-channel one.</summary>
    public SkipLayerExcitation(int lowChannels, int highChannels, double slope) : base(nameof(SkipLayerExcitation))
    {
        pool = AdaptiveAvgPool2d(new long[] { PooledSide, PooledSide });
        squeeze = Conv2d(lowChannels, highChannels, PooledSide);
        act = new SafeLeakyReLU(slope, inplace: true);
        excite = Conv2d(highChannels, highChannels, 1);
        gate = Sigmoid();
        RegisterComponents();
    }

    /// <summary><paramref name="high"/> (N x C x H x W) with each channel scaled by a gate computed from <paramref name="low"/>.</summary>
    public override Tensor forward(Tensor low, Tensor high)
    {
        var x = pool.call(low);                     // 1024 x 4 x 4
        x = act.call(FastConvolution.Apply(squeeze, x));
        x = gate.call(FastConvolution.Apply(excite, x)); // 128 x 1 x 1
        return high.mul(x);                         // 128 x 64 x 64, channel by channel
    }
}
