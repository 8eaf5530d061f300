using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArchGan.Model;

/// <summary>
/// The decoder of FastGAN's self-supervised discriminator (Liu et al. 2021, "Towards Faster and Stabilized GAN
/// Training for High-fidelity Few-shot Image Synthesis", sec. 3.2): from D's last feature map it draws the real
/// image D was shown, at <see cref="Side"/> x <see cref="Side"/>. It is trained on real images only, with D's
/// optimizer, so D's features have to describe the whole building rather than the few cues that tell a handful of
/// photos from G's drawings, which is how D memorizes a small set. FastGAN scores the drawing with a perceptual
/// loss; here it is a plain pixel loss (<see cref="Training.GanTrainer"/>), since no perceptual network ships.
/// Shapes at the article's size in the comments; G never sees this decoder.
/// </summary>
public sealed class ReconstructionDecoder : Module<Tensor, Tensor>
{
    /// <summary>The side of the reconstruction: the image is compared with an area-averaged copy of this size.</summary>
    public const int Side = 32;

    // Field names are checkpoint keys ("decoder.stages.0.conv.weight"): keep them.
    private readonly ModuleList<ConvolutionBlock> stages; // 256 x 16 x 16 → 64 x 32 x 32
    private readonly Conv2d toRgb;                        // 3 x 32 x 32
    private readonly Tanh tanh;

    /// <summary>
    /// A decoder from <paramref name="channels"/> x 8 x 8 features: nearest-neighbour upsampling and 3x3
    /// convolutions with BatchNorm and LeakyReLU (<paramref name="slope"/>), quartering the channels, to RGB.
    /// </summary>
    public ReconstructionDecoder(int channels, double slope) : base(nameof(ReconstructionDecoder))
    {
        int doublings = (int)Math.Round(Math.Log2((double)Side / Architecture.BaseSize));
        // A quarter of the channels per doubling, not D's half: at equal wall-clock time every multiply-add the
        // decoder spends is one the adversarial game does not get, and a 32 x 32 drawing needs few channels.
        var widths = Enumerable.Range(0, doublings + 1).Select(i => Math.Max(Architecture.ChannelMultiple, channels >> (2 * i))).ToArray();
        stages = new ModuleList<ConvolutionBlock>(Enumerable.Range(0, doublings).Select(i =>
            new ConvolutionBlock(Conv2d(widths[i], widths[i + 1], 3, padding: 1), slope, upsampleFirst: true)).ToArray());
        toRgb = Conv2d(widths[^1], 3, 3, padding: 1);
        tanh = Tanh();
        RegisterComponents();
    }

    /// <summary>Features (N x C x 8 x 8, float32 or bfloat16) to images (N x 3 x 32 x 32, float32) in [-1, 1].</summary>
    public override Tensor forward(Tensor features)
    {
        var x = features;
        foreach (var stage in stages)
            x = stage.call(x);                       // → 64 x 32 x 32
        x = ToRgb(x);                                // 3 x 32 x 32
        return tanh.call(x.to(ScalarType.Float32));
    }

    // Output channels ToRgb computes before it keeps the first three.
    private const int PaddedChannels = 8;

    // A correctness swap, not a speed one: toRgb's convolution computed with 8 output channels, the 5 extra ones with
    // zero weights and dropped after, so the same 3 channels come out. With only 3, libtorch 2.10's oneDNN now and
    // then returned NaN in the gradient it passes back to the decoder's last stage (seen on a Zen 5 with oneDNN at
    // AVX2, more often after NaN values were freed; docs/troubleshooting.md), a sign of its 8-channel blocks being
    // read unfilled; at 8 channels the blocks are full. D's own layers never end in 3 channels.
    private Tensor ToRgb(Tensor x)
    {
        if (FastConvolution.ThroughModules)
            return FastConvolution.Apply(toRgb, x); // the summary reads the module's own call
        long extra = PaddedChannels - toRgb.out_channels;
        var weight = functional.pad(toRgb.weight!, new long[] { 0, 0, 0, 0, 0, 0, 0, extra });
        var bias = functional.pad(toRgb.bias!, new long[] { 0, extra });
        return FastConvolution.Apply(toRgb, x, weight, bias).narrow(1, 0, toRgb.out_channels);
    }

    /// <summary>
    /// What the decoder is asked to draw for <paramref name="images"/> (N x 3 x S x S): each image area-averaged
    /// to <see cref="Side"/> x <see cref="Side"/>, so its broad layout, not its fine texture.
    /// </summary>
    public static Tensor Target(Tensor images) =>
        images.shape[^1] == Side ? images : functional.adaptive_avg_pool2d(images, new long[] { Side, Side });
}
