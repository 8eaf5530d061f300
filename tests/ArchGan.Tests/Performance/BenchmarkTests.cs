using ArchGan.Model;
using ArchGan.Performance;

namespace ArchGan.Tests.Performance;

public class BenchmarkTests
{
    [Fact]
    public void The_articles_model_costs_about_59_gflop_per_image_and_iteration()
    {
        var hp = Hyperparameters.Article;
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var gflop = TrainingBenchmark.GflopPerImage(ModelSummary.Of(g, hp.LatentSize), ModelSummary.Of(d, hp.ImageSize));
        // 3 x 3.44 GMAC (G) + 9 x 2.12 GMAC (D), 2 FLOP per multiply-add.
        Assert.InRange(gflop, 58.5, 59.0);
    }

    [Fact]
    public void A_benchmark_run_reports_consistent_positive_numbers()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4 };
        var result = TrainingBenchmark.Run("tiny", hp, iterations: 2);
        Assert.True(result.SecondsPerIteration > 0);
        Assert.Equal(hp.BatchSize / result.SecondsPerIteration, result.ImagesPerSecond, 6);
        Assert.Equal(result.GflopPerIteration / result.SecondsPerIteration, result.AchievedGflops, 6);
        Assert.True(result.ReferenceGflops > 0 && result.ReferenceBf16Gflops > 0);
        Assert.True(result.SamplesPerSecond > 0 && result.FacadesPerSecond > 0);
        Assert.Equal(32, result.ImageSize);
    }
}
