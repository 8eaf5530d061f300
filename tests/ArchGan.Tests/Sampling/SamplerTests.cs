using ArchGan.Data;
using ArchGan.Metrics;
using ArchGan.Sampling;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Sampling;

public class SamplerTests
{
    [Fact]
    public void Squeezing_z_imitates_mode_collapse_and_the_diversity_figure_falls_with_it()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32 };
        using var generator = new Generator(hp, new TorchSharp.torch.Generator(3));
        var real = Facades.Generate(16, 32);
        double Diversity(double spread) =>
            ArchGan.Metrics.Diversity.Measure(Sampler.GenerateCollapsed(generator, 16, hp.LatentSize, seed: 5, spread), real).Ratio;
        var (none, narrow, full) = (Diversity(0), Diversity(0.1), Diversity(1));
        Assert.Equal(0, none, 6); // one image, sixteen times
        Assert.True(none < narrow && narrow < full, $"{none}, {narrow}, {full}");
        Assert.Equal(Sampler.GenerateCollapsed(generator, 4, hp.LatentSize, 5, 0.3).Pixels, Sampler.GenerateCollapsed(generator, 4, hp.LatentSize, 5, 0.3).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler.GenerateCollapsed(generator, 4, hp.LatentSize, 5, 1.5));
    }
}
