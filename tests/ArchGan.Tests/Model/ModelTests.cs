using ArchGan.Model;
using TorchSharp;
using static TorchSharp.torch;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Model;

public class ModelTests
{
    public static TheoryData<int, double> SizesAndWidths => new()
    {
        { 32, 0.125 }, { 64, 0.25 }, { 128, 0.125 }, { 256, 0.0625 }, { 64, 0.5 },
    };

    [Theory]
    [MemberData(nameof(SizesAndWidths))]
    public void Generator_maps_noise_to_images_of_the_configured_size_in_tanh_range(int size, double width)
    {
        var hp = Hyperparameters.Article with { ImageSize = size, Width = width };
        using var g = new Generator(hp);
        using var scope = torch.NewDisposeScope();
        var images = g.call(torch.rand(3, hp.LatentSize) * 2 - 1);
        Assert.Equal(new long[] { 3, 3, size, size }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f);
        Assert.True(images.std().item<float>() > 0, "the generator's output should vary");
    }

    [Theory]
    [MemberData(nameof(SizesAndWidths))]
    public void Discriminator_gives_one_logit_per_image(int size, double width)
    {
        var hp = Hyperparameters.Article with { ImageSize = size, Width = width };
        using var d = new Discriminator(hp);
        using var scope = torch.NewDisposeScope();
        var logits = d.call(torch.rand(5, 3, size, size) * 2 - 1);
        Assert.Equal(new long[] { 5 }, logits.shape);
    }

    [Fact]
    public void Article_sized_networks_match_the_article_layer_by_layer()
    {
        var hp = Hyperparameters.Article;
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var gs = ModelSummary.Of(g, hp.LatentSize);
        var ds = ModelSummary.Of(d, hp.ImageSize);

        var gConvShapes = gs.Layers.Where(l => l.Kind == "ConvTranspose2d").Select(l => l.Shape).ToArray();
        Assert.Equal(new[] { "512 x 16 x 16", "256 x 32 x 32", "128 x 64 x 64", "64 x 128 x 128", "3 x 128 x 128" }, gConvShapes);
        Assert.Equal("65536", gs.Layers.First(l => l.Kind == "Linear").Shape); // dense 8·8·1024
        var dConvShapes = ds.Layers.Where(l => l.Kind == "Conv2d").Select(l => l.Shape).ToArray();
        Assert.Equal(new[] { "64 x 64 x 64", "128 x 32 x 32", "256 x 16 x 16", "512 x 16 x 16", "1024 x 8 x 8" }, dConvShapes);

        // Parameter counts computed by hand from the article's layers (weights + biases + BatchNorm scale and shift).
        long gExpected = (100L * 65536 + 65536)
            + (1024L * 512 * 25 + 512 + 2 * 512) + (512L * 256 * 25 + 256 + 2 * 256)
            + (256L * 128 * 25 + 128 + 2 * 128) + (128L * 64 * 25 + 64 + 2 * 64) + (64L * 3 * 25 + 3);
        long dExpected = (3L * 64 * 25 + 64 + 128) + (64L * 128 * 25 + 128 + 256) + (128L * 256 * 25 + 256 + 512)
            + (256L * 512 * 25 + 512 + 1024) + (512L * 1024 * 25 + 1024 + 2048) + (65536L + 1);
        Assert.Equal(gExpected, gs.Parameters);
        Assert.Equal(gExpected, g.parameters().Sum(p => p.numel()));
        Assert.Equal(dExpected, ds.Parameters);
        Assert.Equal(dExpected, d.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(1.0, new[] { 64, 128, 256, 512, 1024 })] // the article's
    [InlineData(0.25, new[] { 16, 32, 64, 128, 256 })]   // the quick preset's
    [InlineData(0.0625, new[] { 8, 8, 16, 32, 64 })]     // 4 channels would pad a block
    [InlineData(0.3, new[] { 16, 40, 80, 152, 304 })]    // 19.2, 38.4, 76.8, 153.6, 307.2 to the nearest 8
    public void Channel_counts_follow_the_width_in_multiples_of_eight(double width, int[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(level => Architecture.Channels(level, width)).ToArray());

    [Fact]
    public void A_narrow_network_is_built_with_the_rounded_channel_counts()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Width = 0.0625 };
        using var g = new Generator(hp);
        var shapes = ModelSummary.Of(g, hp.LatentSize).Layers.Where(l => l.Kind == "ConvTranspose2d").Select(l => l.Shape).ToArray();
        Assert.Equal(new[] { "8 x 16 x 16", "8 x 32 x 32", "3 x 32 x 32" }, shapes);
    }

    [Fact]
    public void The_upsampling_generator_draws_the_same_sizes_with_the_same_parameters_and_stride_one_convolutions()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 64 };
        using var transposed = new Generator(hp);
        using var upsampling = new Generator(hp with { Upsampling = Upsampling.NearestThenConvolution });
        using var scope = torch.NewDisposeScope();
        var images = upsampling.call(torch.rand(2, hp.LatentSize) * 2 - 1);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, images.shape);
        Assert.Equal(transposed.parameters().Sum(p => p.numel()), upsampling.parameters().Sum(p => p.numel()));
        // The checkpoint keys are the article generator's, so a file names its weights the same way either way.
        Assert.Equal(transposed.state_dict().Keys, upsampling.state_dict().Keys);
        var stages = upsampling.named_modules().Where(m => m.name.StartsWith("stages.") && m.module is TorchSharp.Modules.Convolution).Select(m => (TorchSharp.Modules.Convolution)m.module).ToList();
        Assert.Equal(3, stages.Count);
        Assert.All(stages, c => Assert.False(c.transposed));
        Assert.All(stages, c => Assert.Equal(1, c.stride[0]));
    }

    [Fact]
    public void The_even_transposed_generator_draws_the_same_sizes_with_4x4_kernels_and_fewer_parameters()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 64 };
        using var article = new Generator(hp);
        using var even = new Generator(hp with { Upsampling = Upsampling.EvenTransposedConvolution });
        using var scope = torch.NewDisposeScope();
        var images = even.call(torch.rand(2, hp.LatentSize) * 2 - 1);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, images.shape);
        Assert.Equal(article.state_dict().Keys, even.state_dict().Keys);
        var stages = even.named_modules().Where(m => m.name.StartsWith("stages.") && m.module is TorchSharp.Modules.Convolution).Select(m => (TorchSharp.Modules.Convolution)m.module).ToList();
        Assert.Equal(3, stages.Count);
        Assert.All(stages, c => Assert.True(c.transposed));
        Assert.All(stages, c => Assert.Equal(new long[] { 4, 4 }, c.weight!.shape[2..]));
        // Only the stages' weights shrink, each to 16/25; the dense layer and the RGB layer keep theirs.
        long Stages(Generator g) => g.named_parameters().Where(p => p.name.StartsWith("stages.") && p.name.EndsWith("conv.weight")).Sum(p => p.parameter.numel());
        Assert.Equal(Stages(article) * 16 / 25, Stages(even));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void A_stride_two_transposed_stage_draws_a_checkerboard_on_flat_input_and_the_upsampling_stage_does_not(bool upsampleFirst, bool expectCheckerboard)
    {
        using var scope = torch.NewDisposeScope();
        TorchSharp.Modules.Convolution conv = upsampleFirst
            ? nn.Conv2d(4, 4, 5, stride: 1, padding: 2)
            : nn.ConvTranspose2d(4, 4, 5, stride: 2, padding: 2, output_padding: 1);
        using (torch.no_grad())
        {
            conv.weight!.fill_(0.1);
            conv.bias!.zero_();
        }
        using var block = new ConvolutionBlock(conv, 0.2, upsampleFirst);
        block.eval(); // running statistics 0 and 1: BatchNorm keeps the pattern
        var output = block.call(torch.ones(1, 4, 8, 8));
        Assert.Equal(new long[] { 1, 4, 16, 16 }, output.shape);
        var inner = output[0, 0, TensorIndex.Slice(3, 13), TensorIndex.Slice(3, 13)];
        double spread = (inner.max() - inner.min()).item<float>();
        // A 5-wide kernel at stride 2 sums 3 inputs into even pixels and 2 into odd ones: a 3:2 pattern.
        if (expectCheckerboard) Assert.True(spread > 0.1 * inner.max().item<float>(), $"spread {spread}");
        else Assert.True(spread < 1e-5, $"spread {spread}");
    }

    // The bfloat16 route calls the convolution functions, not the modules whose hooks the summary reads: the summary
    // must list every layer all the same (Precision.Auto takes that route on CPUs with bfloat16 instructions).
    [Fact]
    public void A_summary_lists_the_same_layers_in_bfloat16_as_in_float32()
    {
        var hp = Hyperparameters.Article with { ImageSize = 32, Width = 0.25 };
        using var d32 = new Discriminator(hp with { Precision = Precision.Float32 });
        using var d16 = new Discriminator(hp with { Precision = Precision.BFloat16 });
        using var g32 = new Generator(hp with { Precision = Precision.Float32 });
        using var g16 = new Generator(hp with { Precision = Precision.BFloat16 });

        static IEnumerable<(string, string, string, long, long)> Rows(ModelSummary summary) =>
            summary.Layers.Select(l => (l.Name, l.Kind, l.Shape, l.Parameters, l.MultiplyAdds));
        Assert.Contains(ModelSummary.Of(d16, 32).Layers, l => l.Kind == "Conv2d");
        Assert.Equal(Rows(ModelSummary.Of(d32, 32)), Rows(ModelSummary.Of(d16, 32)));
        Assert.Contains(ModelSummary.Of(g16, hp.LatentSize).Layers, l => l.Kind == "ConvTranspose2d");
        Assert.Equal(Rows(ModelSummary.Of(g32, hp.LatentSize)), Rows(ModelSummary.Of(g16, hp.LatentSize)));
    }

    [Fact]
    public void Summary_counts_multiply_adds_of_convolutions()
    {
        var hp = Hyperparameters.Article with { ImageSize = 32, Width = 0.25 };
        using var d = new Discriminator(hp);
        var first = ModelSummary.Of(d, 32).Layers.First(l => l.Kind == "Conv2d");
        // 16 output channels at 16 x 16, each summing 3 input channels x 5 x 5.
        Assert.Equal(16L * 16 * 16 * 3 * 25, first.MultiplyAdds);
        Assert.Contains("total", ModelSummary.Of(d, 32).ToString());
    }

    [Fact]
    public void Weights_start_from_a_truncated_normal_with_the_articles_deviation()
    {
        var hp = Hyperparameters.Article with { ImageSize = 64, Width = 0.5 };
        using var g = new Generator(hp);
        var weight = g.named_parameters().First(p => p.name.EndsWith("conv.weight")).parameter;
        var std = weight.std().item<float>();
        Assert.True(std is > 0.016f and < 0.019f, $"std {std}: truncation at 2σ should shrink 0.02 by about 12%");
        Assert.True(weight.abs().max().item<float>() <= 0.04f + 1e-6f);
    }

    [Theory]
    [InlineData(48)]
    [InlineData(512)]
    public void Unsupported_image_sizes_are_rejected_by_name(int size)
    {
        var e = Assert.Throws<HyperparameterException>(() => new Generator(Hyperparameters.Article with { ImageSize = size }));
        Assert.Equal("ImageSize", e.Field);
        Assert.Contains("32, 64, 128, 256", e.Message);
    }
}
