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
        Tensor Statistics(Discriminator d) =>
            torch.cat(d.buffers().Where(b => b.is_floating_point()).Select(b => b.flatten()).ToList()).clone();
        (Tensor Before, Tensor After) Pass(Precision precision)
        {
            using var d = new Discriminator(Hp with { Precision = precision }, new torch.Generator(2));
            var before = Statistics(d);
            var logits = d.call(images);
            Assert.Equal(ScalarType.Float32, logits.dtype);
            Assert.All(d.buffers().Where(b => b.is_floating_point()), b => Assert.Equal(ScalarType.Float32, b.dtype));
            return (before.MoveToOuterDisposeScope(), Statistics(d).MoveToOuterDisposeScope());
        }
        var full = Pass(Precision.Float32);
        var half = Pass(Precision.BFloat16);
        Assert.False(full.After.eq(half.After).all().item<bool>(), "the bfloat16 pass left the same statistics: it did not run in bfloat16");
        // Against what the pass moved (running statistics start at 0 and 1 and take a tenth of each batch's).
        // Each activation is rounded to 8 significant bits, but the statistics average thousands of them in
        // float32, so the rounding mostly cancels: 0.02% measured, 0.2% allowed.
        var relative = ((full.After - half.After).norm() / (full.After - full.Before).norm()).item<float>();
        Assert.True(relative < 0.002, $"running statistics moved {relative:P2} differently from float32's");
    }

    [Fact]
    public void Sampling_in_eval_mode_gives_float32_images_close_to_float32s()
    {
        using var scope = torch.NewDisposeScope();
        // The same weights and running statistics in both precisions: built from one seed, warmed on one batch.
        Generator Warmed(Precision precision)
        {
            var g = new Generator(Hp with { Precision = precision }, new torch.Generator(3));
            using (var warm = torch.NewDisposeScope()) g.call(torch.randn(16, Hp.LatentSize, generator: new torch.Generator(5))); // running statistics that are not the initial 0 and 1
            g.eval();
            return g;
        }
        using var g32 = Warmed(Precision.Float32);
        using var g16 = Warmed(Precision.BFloat16);
        var z = torch.randn(4, Hp.LatentSize, generator: new torch.Generator(4));
        using var noGrad = torch.no_grad();
        var full = g32.call(z);
        var half = g16.call(z);
        Assert.Equal(ScalarType.Float32, half.dtype);
        Assert.False(full.eq(half).all().item<bool>());
        // 0.5% measured: the rounding of each layer's activations, carried through five layers.
        var relative = ((full - half).norm() / full.norm()).item<float>();
        Assert.True(relative < 0.02, $"the images differ from float32's by {relative:P2}");
    }
}
