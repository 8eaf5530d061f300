using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArchGan.Model;

/// <summary>
/// The article's generator: z → dense 8·8·C → LeakyReLU → stride-2 transposed 5x5 convolutions, each with
/// BatchNorm and LeakyReLU, halving the channels while doubling the side → a stride-1 transposed 5x5
/// convolution to RGB → tanh, so pixels come out in [-1, 1]. Shapes at the article's size (128, width 1.0)
/// are in the comments. Input: N x <see cref="Hyperparameters.LatentSize"/>; output: N x 3 x S x S.
/// </summary>
public sealed class Generator : Module<Tensor, Tensor>
{
    // Field names are checkpoint keys: keep them.
    private readonly Linear project;      // 100 → 1024·8·8
    private readonly Unflatten reshape;   // 1024 x 8 x 8
    private readonly SafeLeakyReLU activation;
    private readonly Sequential stages;   // 512 x 16 x 16 → 256 x 32 x 32 → 128 x 64 x 64 → 64 x 128 x 128
    private readonly ConvTranspose2d toRgb; // 3 x 128 x 128
    private readonly Tanh tanh;

    /// <summary>
    /// Builds the network for <paramref name="hp"/>'s image size, width, latent size and slope, with the
    /// article's initialization drawn from <paramref name="random"/> (torch's global generator when null).
    /// </summary>
    public Generator(Hyperparameters hp, torch.Generator? random = null) : base(nameof(Generator))
    {
        int n = Architecture.Stages(hp.ImageSize);
        int top = Architecture.Channels(n, hp.Width);
        int side = Architecture.BaseSize;

        project = Linear(hp.LatentSize, top * side * side);
        reshape = Unflatten(1, new long[] { top, side, side });
        // In place here and after every BatchNorm: neither the dense layer's nor BatchNorm's backward pass
        // needs its output, so the activation may overwrite it instead of allocating one more feature map.
        activation = new SafeLeakyReLU(hp.LeakySlope, inplace: true);
        stages = Sequential();
        for (int level = n - 1; level >= 0; level--)
        {
            int inChannels = Architecture.Channels(level + 1, hp.Width), outChannels = Architecture.Channels(level, hp.Width);
            // padding 2 + output_padding 1 doubles the side exactly, like TensorFlow's padding="same".
            stages.append(Sequential(
                ("conv", ConvTranspose2d(inChannels, outChannels, Architecture.Kernel, stride: 2, padding: 2, output_padding: 1)),
                ("norm", new SafeBatchNorm2d(outChannels, eps: 1e-5)),
                ("act", new SafeLeakyReLU(hp.LeakySlope, inplace: true))));
        }
        toRgb = ConvTranspose2d(Architecture.Channels(0, hp.Width), 3, Architecture.Kernel, stride: 1, padding: 2);
        tanh = Tanh();

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

    /// <summary>Maps noise (N x latent) to images (N x 3 x S x S) in [-1, 1].</summary>
    public override Tensor forward(Tensor z)
    {
        var x = activation.call(reshape.call(project.call(z)));
        return tanh.call(ConvolutionalStages.Run(x, Compute, stages, toRgb));
    }
}
