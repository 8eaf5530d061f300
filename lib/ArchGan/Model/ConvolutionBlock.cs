using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// One stage of either network, as the article writes it: a 5x5 convolution (transposed in the generator,
/// plain in the discriminator), BatchNorm, LeakyReLU.
/// </summary>
public sealed class ConvolutionBlock : nn.Module<Tensor, Tensor>
{
    // Field names are checkpoint keys ("stages.0.conv.weight"): keep them.
    private readonly Convolution conv;
    private readonly SafeBatchNorm2d norm;
    private readonly SafeLeakyReLU act;

    /// <summary>A stage from <paramref name="convolution"/>'s output channels, with LeakyReLU's <paramref name="slope"/>.</summary>
    public ConvolutionBlock(Convolution convolution, double slope) : base(nameof(ConvolutionBlock))
    {
        conv = convolution;
        norm = new SafeBatchNorm2d(convolution.out_channels, eps: 1e-5);
        // In place: BatchNorm's backward pass needs its input, not the output LeakyReLU overwrites.
        act = new SafeLeakyReLU(slope, inplace: true);
        RegisterComponents();
    }

    /// <summary>Convolution, BatchNorm, LeakyReLU.</summary>
    public override Tensor forward(Tensor x) => act.call(norm.call(FastConvolution.Apply(conv, x)));
}
