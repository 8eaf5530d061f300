using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArchGan.Model;

/// <summary>
/// The article's generator: z → dense 8·8·C → LeakyReLU → stride-2 transposed 5x5 convolutions, each with
/// BatchNorm and LeakyReLU, halving the channels while doubling the side → a stride-1 transposed 5x5
/// convolution to RGB → tanh, so pixels come out in [-1, 1]. Shapes at the article's size (128, width 1.0)
/// are in the comments. Input: N x <see cref="Hyperparameters.LatentSize"/>; output: N x 3 x S x S. With
/// <see cref="Hyperparameters.Upsampling"/> = <see cref="Upsampling.NearestThenConvolution"/> each stage
/// upsamples and then convolves at stride 1 instead, and with <see cref="Upsampling.EvenTransposedConvolution"/> its
/// transposed convolutions are 4x4; both swaps are made in one place, the stage builder. With
/// <see cref="Hyperparameters.SkipLayerExcitation"/> each stage from 64 x 64 up is gated, channel by channel,
/// by the feature map of an eighth its side (<see cref="Model.SkipLayerExcitation"/>, FastGAN).
/// </summary>
public sealed class Generator : Module<Tensor, Tensor>
{
    // Field names are checkpoint keys: keep them.
    private readonly Linear project;                   // 100 → 1024·8·8
    private readonly Unflatten reshape;                // 1024 x 8 x 8
    private readonly SafeLeakyReLU activation;
    private readonly ModuleList<ConvolutionBlock> stages; // 512 x 16 x 16 → 256 x 32 x 32 → 128 x 64 x 64 → 64 x 128 x 128
    private readonly ConvTranspose2d toRgb;            // 3 x 128 x 128
    private readonly Tanh tanh;
    // Last, so that the layers above draw the same first weights with or without them.
    private readonly ModuleList<SkipLayerExcitation>? excitations; // 8 x 8 gates 128 x 64 x 64, 16 x 16 gates 64 x 128 x 128

    /// <summary>
    /// Builds the network for <paramref name="hp"/>'s image size, width, latent size, slope and precision
    /// (<see cref="Hyperparameters.Precision"/>, with Auto resolved for <paramref name="device"/>, the CPU when
    /// null), with the article's initialization drawn from <paramref name="random"/> (torch's global generator
    /// when null). The weights stay on the CPU until moved.
    /// </summary>
    public Generator(Hyperparameters hp, torch.Generator? random = null, Device? device = null) : base(nameof(Generator))
    {
        Precision = PrecisionChoice.Resolve(hp.Precision, device ?? torch.CPU);
        int n = Architecture.Stages(hp.ImageSize);
        int top = Architecture.Channels(n, hp.Width);
        int side = Architecture.BaseSize;

        project = Linear(hp.LatentSize, top * side * side);
        reshape = Unflatten(1, new long[] { top, side, side });
        // In place: the dense layer's backward pass does not need its output.
        activation = new SafeLeakyReLU(hp.LeakySlope, inplace: true);
        stages = new ModuleList<ConvolutionBlock>(Enumerable.Range(0, n).Reverse().Select(level =>
            Stage(Architecture.Channels(level + 1, hp.Width), Architecture.Channels(level, hp.Width), hp)).ToArray());
        toRgb = ConvTranspose2d(Architecture.Channels(0, hp.Width), 3, Architecture.Kernel, stride: 1, padding: 2);
        tanh = Tanh();
        if (hp.SkipLayerExcitation)
            excitations = new ModuleList<SkipLayerExcitation>(Enumerable.Range(FirstGatedStage, n - FirstGatedStage).Select(k =>
                new SkipLayerExcitation(Architecture.Channels(n - (k - GateReach + 1), hp.Width), Architecture.Channels(n - 1 - k, hp.Width), hp.LeakySlope)).ToArray());

        RegisterComponents();
        Initialization.Apply(this, hp.InitStd, random);
    }

    // One doubling of the side: the article's stride-2 transposed convolution, or one of the two
    // checkerboard-free swaps (Upsampling's documentation says what each costs).
    private static ConvolutionBlock Stage(int inChannels, int outChannels, Hyperparameters hp) => hp.Upsampling switch
    {
        Upsampling.NearestThenConvolution => new ConvolutionBlock(
            Conv2d(inChannels, outChannels, Architecture.Kernel, stride: 1, padding: 2), hp.LeakySlope, upsampleFirst: true),
        Upsampling.EvenTransposedConvolution => new ConvolutionBlock(Doubling(inChannels, outChannels, Architecture.EvenKernel), hp.LeakySlope),
        _ => new ConvolutionBlock(Doubling(inChannels, outChannels, Architecture.Kernel), hp.LeakySlope),
    };

    private static ConvTranspose2d Doubling(int inChannels, int outChannels, int kernel)
    {
        var (padding, outputPadding) = Architecture.TransposedPadding(kernel, stride: 2);
        return ConvTranspose2d(inChannels, outChannels, kernel, stride: 2, padding: padding, output_padding: outputPadding);
    }

    // Stage k's output has side 8·2^(k+1); skip-layer excitation gates it from the map GateReach doublings smaller,
    // the output of stage k − GateReach (the 8 x 8 projection for k = GateReach − 1), as FastGAN gates 128 from 8.
    private const int GateReach = 3;
    private const int FirstGatedStage = GateReach - 1; // the 64 x 64 stage, gated by the 8 x 8 map

    /// <summary>The smallest image size at which <see cref="Hyperparameters.SkipLayerExcitation"/> has a stage to gate.</summary>
    public const int SmallestGatedSize = 64;

    /// <summary>
    /// The number type the convolutions compute in; the weights are float32 either way, and so are the images
    /// that come out.
    /// </summary>
    public Precision Precision { get; }

    /// <summary>Maps noise (N x latent) to images (N x 3 x S x S) in [-1, 1].</summary>
    public override Tensor forward(Tensor z)
    {
        var x = activation.call(reshape.call(project.call(z)));   // 1024 x 8 x 8
        if (Precision == Precision.BFloat16)
            x = x.to(ScalarType.BFloat16);                         // fast path: bfloat16 from here to the last convolution
        if (excitations is null)
            foreach (var stage in stages)
                x = stage.call(x);                                 // → 64 x 128 x 128
        else
            x = GatedStages(x);                                    // the same, each stage from 64 x 64 gated by SLE
        x = FastConvolution.Apply(toRgb, x);                       // 3 x 128 x 128
        if (Precision == Precision.BFloat16)
            x = x.to(ScalarType.Float32);
        return tanh.call(x);
    }

    // FastGAN's skip-layer excitation: x_k ← x_k · gate(x_{k−3}), the gates computed from maps kept on the way up.
    private Tensor GatedStages(Tensor x)
    {
        var maps = new List<Tensor> { x };                         // 1024 x 8 x 8, then each stage's output
        for (int k = 0; k < stages.Count; k++)
        {
            x = stages[k].call(x);
            if (k >= FirstGatedStage)
                x = excitations![k - FirstGatedStage].call(maps[k - FirstGatedStage], x);
            maps.Add(x);
        }
        return x;
    }
}
