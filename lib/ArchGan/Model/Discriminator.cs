using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArchGan.Model;

/// <summary>
/// The article's discriminator: 5x5 convolutions to 64, 128, 256 (stride 2), 512 (stride 1) and 1024
/// (stride 2) channels, each with BatchNorm and LeakyReLU, then one dense logit. Other sizes keep the
/// pattern: one stride-2 stage per doubling above 8 x 8, the second-to-last at stride 1. Shapes at the
/// article's size are in the comments. Input: N x 3 x S x S in [-1, 1]; output: N logits (not probabilities,
/// so the loss can use the numerically stable sigmoid cross-entropy). With
/// <see cref="Hyperparameters.SpectralNormalization"/> every layer's weight is spectrally normalized and the
/// stages have no BatchNorm (Miyato et al. 2018). With <see cref="Hyperparameters.ReconstructionWeight"/> above 0
/// a <see cref="ReconstructionDecoder"/> also draws the input back from the last features (FastGAN's
/// self-supervised discriminator), through <see cref="ForwardWithReconstruction"/>.
/// </summary>
public sealed class Discriminator : Module<Tensor, Tensor>
{
    // Field names are checkpoint keys: keep them.
    private readonly ModuleList<ConvolutionBlock> stages; // 64 x 64 x 64 → 128 x 32 x 32 → 256 x 16 x 16 → 512 x 16 x 16 → 1024 x 8 x 8
    private readonly Flatten flatten;                  // 1024·8·8 = 65536
    private readonly SpectralNorm? classifyNorm;       // W / σ(W) for the dense layer, when spectrally normalized
    private readonly Linear classify;                  // 1 logit
    private readonly ReconstructionDecoder? decoder;   // 3 x 32 x 32 from the 1024 x 8 x 8 features, when self-supervised

    /// <summary>
    /// Builds the network for <paramref name="hp"/>'s image size, width, slope and precision (Auto resolved for
    /// <paramref name="device"/>, the CPU when null), with the article's initialization.
    /// </summary>
    public Discriminator(Hyperparameters hp, torch.Generator? random = null, Device? device = null) : base(nameof(Discriminator))
    {
        Precision = PrecisionChoice.Resolve(hp.Precision, device ?? torch.CPU);
        int n = Architecture.Stages(hp.ImageSize);
        stages = new ModuleList<ConvolutionBlock>(Enumerable.Range(0, n + 1).Select(level =>
            new ConvolutionBlock(Conv2d(level == 0 ? 3 : Architecture.Channels(level - 1, hp.Width), Architecture.Channels(level, hp.Width),
                Architecture.Kernel, stride: level == n - 1 ? 1 : 2, padding: 2), hp.LeakySlope, spectralNorm: hp.SpectralNormalization)).ToArray());
        flatten = Flatten();
        classifyNorm = hp.SpectralNormalization ? new SpectralNorm(1) : null;
        classify = Linear(Architecture.Channels(n, hp.Width) * Architecture.BaseSize * Architecture.BaseSize, 1);
        decoder = hp.ReconstructionWeight > 0 ? new ReconstructionDecoder(Architecture.Channels(n, hp.Width), hp.LeakySlope) : null;

        RegisterComponents();
        Initialization.Apply(this, hp.InitStd, random);
    }

    /// <summary>The number type the convolutions compute in; weights and logits are float32 either way.</summary>
    public Precision Precision { get; }

    /// <summary>One logit per image: large means "looks real".</summary>
    public override Tensor forward(Tensor images) => Classify(Features(images));

    /// <summary>
    /// The logits and, from the same features, the decoder's drawing of each image at 32 x 32
    /// (<see cref="ReconstructionDecoder"/>): one pass through the stages serves both.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network was built without a decoder.</exception>
    public (Tensor Logits, Tensor Reconstruction) ForwardWithReconstruction(Tensor images)
    {
        if (decoder is null)
            throw new InvalidOperationException("This discriminator has no decoder: build it with ReconstructionWeight above 0.");
        var features = Features(images);
        return (Classify(features), decoder.call(features));
    }

    /// <summary>Whether the network has a <see cref="ReconstructionDecoder"/>.</summary>
    public bool Reconstructs => decoder is not null;

    private Tensor Features(Tensor images)
    {
        var x = images;
        if (Precision == Precision.BFloat16)
            x = x.to(ScalarType.BFloat16);  // fast path: bfloat16 through the convolutions
        foreach (var stage in stages)
            x = stage.call(x);              // → 1024 x 8 x 8
        return x;
    }

    private Tensor Classify(Tensor features)
    {
        var x = flatten.call(features.to(ScalarType.Float32));
        return (classifyNorm is null ? classify.call(x) : functional.linear(x, classifyNorm.Normalize(classify.weight!), classify.bias)).squeeze(1);
    }
}
