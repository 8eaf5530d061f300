using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// One stage of either network, as the article writes it: a 5x5 convolution (transposed in the generator,
/// plain in the discriminator), BatchNorm, LeakyReLU; in a generator built with
/// <see cref="Upsampling.NearestThenConvolution"/>, a nearest-neighbour upsampling first; in a discriminator built
/// with <see cref="Hyperparameters.SpectralNormalization"/>, a spectrally normalized convolution and no BatchNorm.
/// </summary>
public sealed class ConvolutionBlock : nn.Module<Tensor, Tensor>
{
    // Field names are checkpoint keys ("stages.0.conv.weight"): keep them. The upsampling has no weights.
    private readonly Upsample? upsample;
    private readonly SpectralNorm? spectral;
    private readonly Convolution conv;
    private readonly SafeBatchNorm2d? norm;
    private readonly SafeLeakyReLU act;

    /// <summary>
    /// A stage from <paramref name="convolution"/>'s output channels, with LeakyReLU's <paramref name="slope"/>;
    /// <paramref name="upsampleFirst"/> doubles the side before the convolution; <paramref name="spectralNorm"/>
    /// normalizes the convolution's weight and leaves BatchNorm out.
    /// </summary>
    public ConvolutionBlock(Convolution convolution, double slope, bool upsampleFirst = false, bool spectralNorm = false) : base(nameof(ConvolutionBlock))
    {
        upsample = upsampleFirst ? nn.Upsample(scale_factor: new double[] { 2, 2 }, mode: UpsampleMode.Nearest) : null;
        spectral = spectralNorm ? new SpectralNorm(convolution.out_channels) : null;
        conv = convolution;
        norm = spectralNorm ? null : new SafeBatchNorm2d(convolution.out_channels, eps: 1e-5);
        // In place: BatchNorm's backward pass needs its input, not the output LeakyReLU overwrites.
        act = new SafeLeakyReLU(slope, inplace: true);
        RegisterComponents();
    }

    /// <summary>(Upsampling,) convolution, BatchNorm (unless spectrally normalized), LeakyReLU.</summary>
    public override Tensor forward(Tensor x)
    {
        if (upsample is not null)
            x = upsample.call(x);
        x = spectral is null
            ? FastConvolution.Apply(conv, x)
            : FastConvolution.Apply(conv, x, spectral.Normalize(conv.weight!)); // W / σ(W)
        if (norm is not null)
            x = norm.call(x);
        return act.call(x);
    }
}
