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
/// upsamples and then convolves at stride 1 instead, the one swap in the layer stack.
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

        RegisterComponents();
        Initialization.Apply(this, hp.InitStd, random);
    }

    // One doubling of the side: the article's stride-2 transposed convolution (padding 2 + output_padding 1
    // doubles the side exactly, like TensorFlow's padding="same"), or the checkerboard-free swap.
    private static ConvolutionBlock Stage(int inChannels, int outChannels, Hyperparameters hp) => hp.Upsampling switch
    {
        Upsampling.NearestThenConvolution => new ConvolutionBlock(
            Conv2d(inChannels, outChannels, Architecture.Kernel, stride: 1, padding: 2), hp.LeakySlope, upsampleFirst: true),
        _ => new ConvolutionBlock(
            ConvTranspose2d(inChannels, outChannels, Architecture.Kernel, stride: 2, padding: 2, output_padding: 1), hp.LeakySlope),
    };

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
        foreach (var stage in stages)
            x = stage.call(x);                                     // → 64 x 128 x 128
        x = FastConvolution.Apply(toRgb, x);                       // 3 x 128 x 128
        if (Precision == Precision.BFloat16)
            x = x.to(ScalarType.Float32);
        return tanh.call(x);
    }
}
