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
/// so the loss can use the numerically stable sigmoid cross-entropy).
/// </summary>
public sealed class Discriminator : Module<Tensor, Tensor>
{
    // Field names are checkpoint keys: keep them.
    private readonly Sequential stages;   // 64 x 64 x 64 → 128 x 32 x 32 → 256 x 16 x 16 → 512 x 16 x 16 → 1024 x 8 x 8
    private readonly Flatten flatten;     // 1024·8·8 = 65536
    private readonly Linear classify;     // 1 logit

    /// <summary>Builds the network for <paramref name="hp"/>'s image size, width and slope, with the article's initialization.</summary>
    public Discriminator(Hyperparameters hp, torch.Generator? random = null) : base(nameof(Discriminator))
    {
        int n = Architecture.Stages(hp.ImageSize);
        int inChannels = 3;
        stages = Sequential();
        for (int level = 0; level <= n; level++)
        {
            int outChannels = Architecture.Channels(level, hp.Width);
            int stride = level == n - 1 ? 1 : 2;
            // LeakyReLU in place: BatchNorm's backward pass needs its input, not the output it overwrites.
            stages.append(Sequential(
                ("conv", Conv2d(inChannels, outChannels, Architecture.Kernel, stride: stride, padding: 2)),
                ("norm", new SafeBatchNorm2d(outChannels, eps: 1e-5)),
                ("act", new SafeLeakyReLU(hp.LeakySlope, inplace: true))));
            inChannels = outChannels;
        }
        flatten = Flatten();
        classify = Linear(inChannels * Architecture.BaseSize * Architecture.BaseSize, 1);

        RegisterComponents();
        Initialization.Apply(this, hp.InitStd, random);
    }

    /// <summary>
    /// Number type of the convolutions (<see cref="Hyperparameters.Precision"/>, resolved with
    /// <see cref="PrecisionChoice.Resolve"/>); not saved with the weights, which are float32 either way.
    /// </summary>
    public Precision Compute
    {
        get => compute;
        set => compute = PrecisionChoice.Definite(value);
    }

    private Precision compute = Precision.Float32;

    /// <summary>One logit per image: large means "looks real".</summary>
    public override Tensor forward(Tensor images) =>
        classify.call(flatten.call(ConvolutionalStages.Run(images, Compute, stages))).squeeze(1);
}
