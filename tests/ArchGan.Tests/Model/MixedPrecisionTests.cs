using ArchGan.Model;
using TorchSharp;
using static TorchSharp.torch;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Model;

/// <summary>bfloat16 convolutions leave BatchNorm's state and every number that leaves a network in float32.</summary>
public class MixedPrecisionTests
{
    private static readonly Hyperparameters Hp = Hyperparameters.Article with { ImageSize = 32, Width = 0.25 };

    [Fact]
    public void BatchNorm_keeps_float32_running_statistics_close_to_float32s_when_the_convolutions_run_in_bfloat16()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(8, 3, 32, 32, generator: new torch.Generator(1)) * 2 - 1;
        List<Tensor> Statistics(Precision precision)
        {
            using var d = new Discriminator(Hp, new torch.Generator(2)) { Compute = precision };
            var logits = d.call(images);
            Assert.Equal(ScalarType.Float32, logits.dtype);
            return d.buffers().Where(b => b.is_floating_point()).Select(b => b.clone().MoveToOuterDisposeScope()).ToList();
        }
        var full = Statistics(Precision.Float32);
        var half = Statistics(Precision.BFloat16);
        Assert.NotEmpty(half);
        Assert.All(half, b => Assert.Equal(ScalarType.Float32, b.dtype));
        var (f, h) = (torch.cat(full.Select(b => b.flatten()).ToList()), torch.cat(half.Select(b => b.flatten()).ToList()));
        Assert.False(f.eq(h).all().item<bool>(), "the bfloat16 pass left the same statistics: it did not run in bfloat16");
        // bfloat16 keeps 8 significant bits: the statistics move by rounding, well under 2% in norm.
        var relative = ((f - h).norm() / f.norm()).item<float>();
        Assert.True(relative < 0.02, $"running statistics differ from float32's by {relative:P1}");
    }

    [Fact]
    public void Sampling_in_eval_mode_gives_float32_images_close_to_float32s()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(Hp, new torch.Generator(3));
        using (var warm = torch.NewDisposeScope()) g.call(torch.randn(16, Hp.LatentSize)); // running statistics that are not the initial 0 and 1
        g.eval();
        var z = torch.randn(4, Hp.LatentSize, generator: new torch.Generator(4));
        using var noGrad = torch.no_grad();
        g.Compute = Precision.Float32;
        var full = g.call(z);
        g.Compute = Precision.BFloat16;
        var half = g.call(z);
        Assert.Equal(ScalarType.Float32, half.dtype);
        Assert.False(full.eq(half).all().item<bool>());
        var largest = (full - half).abs().max().item<float>();
        Assert.True(largest < 0.1f, $"a pixel differs from float32's by {largest} (of a range of 2)");
    }
}
