using ArchGan.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Model;

/// <summary>
/// The weight gradient computed as a forward convolution over the batch gives libtorch's gradients, is taken
/// where it was measured faster and nowhere else, and turns a failure inside the backward pass into an
/// exception on the training thread.
/// </summary>
public class BatchWeightGradientTests
{
    public static TheoryData<bool, int, int, int, int> Shapes => new()
    {
        // transposed, stride, input side, input channels, output channels. Channel counts are ones the networks
        // build (Architecture.ChannelMultiple): at others libtorch's own gradients were sometimes NaN here.
        { true, 2, 8, 16, 8 },   // G's stages: the side doubles
        { false, 2, 16, 8, 16 }, // D's stride-2 stages: the side halves
        { false, 2, 16, 3, 8 },  // D's first stage reads RGB
        { false, 2, 15, 8, 16 }, // an odd side, where stride 2 drops the last row and column
        { true, 1, 9, 8, 3 },    // G's layer to RGB
        { false, 1, 10, 16, 24 }, // D's stride-1 stage
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_of_input_weights_and_bias_match_libtorchs_own_in_float32(bool transposed, int stride, int side, int inChannels, int outChannels)
    {
        using var scope = torch.NewDisposeScope();
        // One libtorch thread for a bit-for-bit comparison: on an AMD Zen 5 (oneDNN capped at AVX2), libtorch's own
        // transposed stride-1 convolution on two threads did not give the same bits twice, so no other code could.
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        (Grads Standard, Grads Batched) pair;
        try
        {
            pair = Gradients(ScalarType.Float32, transposed, stride, side, inChannels, outChannels);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
        var (standard, batched) = pair;
        Assert.True(standard.Output.eq(batched.Output).all().item<bool>(), "the forward pass is not libtorch's");
        AssertClose(standard.Input, batched.Input, 1e-6, "input");
        AssertClose(standard.Weight, batched.Weight, 1e-5, "weight");
        AssertClose(standard.Bias, batched.Bias, 1e-5, "bias");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_match_libtorchs_own_in_bfloat16_to_its_rounding(bool transposed)
    {
        using var scope = torch.NewDisposeScope();
        var (standard, batched) = Gradients(ScalarType.BFloat16, transposed, stride: 2, side: transposed ? 8 : 16, inChannels: 16, outChannels: 32);
        // bfloat16 keeps 8 significant bits: one rounding of each result is 0.4% at most.
        AssertClose(standard.Input, batched.Input, 1e-2, "input");
        AssertClose(standard.Weight, batched.Weight, 1e-2, "weight");
        AssertClose(standard.Bias, batched.Bias, 1e-2, "bias");
    }

    [Fact]
    public void Frozen_weights_get_no_gradient_while_the_input_still_does()
    {
        using var scope = torch.NewDisposeScope();
        var random = new torch.Generator(5);
        var x = torch.randn(new long[] { 3, 6, 16, 16 }, generator: random).requires_grad_(true);
        var w = torch.randn(new long[] { 12, 6, 5, 5 }, generator: random);
        var b = torch.randn(new long[] { 12 }, generator: random);
        var expected = torch.autograd.grad(new[] { Plain(x, w, b) }, new[] { x }, new[] { torch.ones(3, 12, 8, 8) })[0];
        BatchWeightGradient.Apply(x, w, b, transposed: false, stride: 2, padding: 2, outputPadding: 0).sum().backward();
        BatchWeightGradient.EndBackward();
        Assert.Null(w.grad);
        AssertClose(expected, x.grad!, 1e-6, "input");
    }

    [Fact]
    public void The_route_is_taken_at_the_articles_1024_channel_layers_in_float32_and_at_Gs_stride_2_layers_and_Ds_last_in_bfloat16()
    {
        using var scope = torch.NewDisposeScope();
        string[] Routed(Hyperparameters hp, ScalarType dtype)
        {
            using var g = new Generator(hp);
            using var d = new Discriminator(hp);
            var sides = Architecture.Stages(hp.ImageSize);
            // Each convolution with an input of its side: G's grow from 8 x 8, D's shrink from the image.
            var gConvs = InOrder(g).Select((conv, i) => (Name: $"G{i + 1}", Conv: conv, Side: Math.Min(8 << i, hp.ImageSize)));
            var dConvs = InOrder(d).Select((conv, i) => (Name: $"D{i + 1}", Conv: conv, Side: hp.ImageSize >> Math.Min(i, sides - 1)));
            return gConvs.Concat(dConvs)
                .Where(layer => BatchWeightGradient.Pays(layer.Conv, torch.zeros(new long[] { 1, layer.Conv.weight!.shape[layer.Conv.transposed ? 0 : 1], layer.Side, layer.Side }, dtype)))
                .Select(layer => layer.Name).ToArray();
        }
        Assert.Equal(new[] { "G1", "D5" }, Routed(Hyperparameters.Article, ScalarType.Float32));
        Assert.Equal(new[] { "G1", "G2", "G3", "G4", "D5" }, Routed(Hyperparameters.Article, ScalarType.BFloat16));
        // Narrower networks measured no faster in float32: the quick preset keeps libtorch's backward throughout.
        Assert.Empty(Routed(Hyperparameters.Quick, ScalarType.Float32));
        Assert.Empty(Routed(Hyperparameters.Article with { Width = 0.5 }, ScalarType.Float32));
        Assert.Equal(new[] { "G1", "G2", "G3", "D4" }, Routed(Hyperparameters.Quick, ScalarType.BFloat16));
    }

    [Fact]
    public void The_route_is_not_taken_without_a_gradient_for_the_weights()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(Hyperparameters.Article);
        var first = InOrder(g).First();
        var x = torch.zeros(1, 1024, 8, 8);
        Assert.True(BatchWeightGradient.Pays(first, x));
        using (torch.no_grad())
            Assert.False(BatchWeightGradient.Pays(first, x)); // sampling
        first.weight!.requires_grad = false; // the frozen discriminator of the G step, here on G
        Assert.False(BatchWeightGradient.Pays(first, x));
    }

    [Fact]
    public void A_failure_in_the_backward_pass_is_rethrown_on_the_training_thread_instead_of_ending_the_process()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 4, 8, 8).requires_grad_(true);
        var w = torch.randn(4, 6, 5, 5).requires_grad_(true);
        var input = x * 1; // not a leaf, so it may be changed in place
        var y = BatchWeightGradient.Apply(input, w, null, transposed: true, stride: 2, padding: 2, outputPadding: 1);
        input.add_(1); // the saved input changes, which autograd refuses to differentiate through
        y.sum().backward(); // libtorch's refusal is raised inside the function's backward pass, called from native code
        var error = Assert.Throws<System.Runtime.InteropServices.ExternalException>(BatchWeightGradient.EndBackward);
        Assert.Contains("modified by an inplace operation", error.Message);
        BatchWeightGradient.EndBackward(); // reported once
    }

    // A network's convolutions in the order they run: "stages.0.conv", "stages.1.conv", …, then G's "toRgb".
    private static IEnumerable<Convolution> InOrder(nn.Module network) =>
        network.named_modules().Where(m => m.module is Convolution).OrderBy(m => m.name, StringComparer.Ordinal).Select(m => (Convolution)m.module);

    private sealed record Grads(Tensor Output, Tensor Input, Tensor Weight, Tensor Bias);

    private static (Grads Standard, Grads Batched) Gradients(ScalarType dtype, bool transposed, int stride, int side, int inChannels, int outChannels)
    {
        var random = new torch.Generator(7);
        var x = torch.randn(new long[] { 3, inChannels, side, side }, generator: random).to(dtype).requires_grad_(true);
        var w = torch.randn(transposed ? new long[] { inChannels, outChannels, 5, 5 } : new long[] { outChannels, inChannels, 5, 5 }, generator: random)
            .to(dtype).requires_grad_(true);
        var b = torch.randn(new long[] { outChannels }, generator: random).to(dtype).requires_grad_(true);
        int outputPadding = transposed ? stride - 1 : 0;
        Grads Run(Tensor y)
        {
            var upstream = torch.randn(y.shape, generator: new torch.Generator(8)).to(dtype);
            var g = torch.autograd.grad(new[] { y }, new[] { x, w, b }, new[] { upstream });
            BatchWeightGradient.EndBackward();
            return new Grads(y.detach(), g[0], g[1], g[2]);
        }
        var standard = Run(transposed
            ? nn.functional.conv_transpose2d(x, w, b, strides: new long[] { stride, stride }, padding: new long[] { 2, 2 }, output_padding: new long[] { outputPadding, outputPadding })
            : Plain(x, w, b, stride));
        var batched = Run(BatchWeightGradient.Apply(x, w, b, transposed, stride, padding: 2, outputPadding));
        return (standard, batched);
    }

    private static Tensor Plain(Tensor x, Tensor w, Tensor b, long stride = 2) =>
        nn.functional.conv2d(x, w, b, strides: new[] { stride, stride }, padding: new long[] { 2, 2 });

    private static void AssertClose(Tensor expected, Tensor actual, double relative, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var error = ((expected.to(ScalarType.Float32) - actual.to(ScalarType.Float32)).abs().max() / expected.to(ScalarType.Float32).abs().max()).item<float>();
        Assert.True(error < relative, $"the {what}'s gradient differs from libtorch's by {error:E1} of its largest value");
    }
}
