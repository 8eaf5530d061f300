using ArchGan.Model;
using ArchGan.Performance;

namespace ArchGan.Tests.Performance;

public class BenchmarkTests
{
    [Fact]
    public void The_articles_model_costs_about_55_gflop_per_image_and_iteration()
    {
        var hp = Hyperparameters.Article;
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var gflop = TrainingBenchmark.GflopPerImage(ModelSummary.Of(g, hp.LatentSize), ModelSummary.Of(d, hp.ImageSize));
        // 3 x 3.44 GMAC (G) + 8 x 2.12 GMAC (D), 2 FLOP per multiply-add.
        Assert.InRange(gflop, 54.3, 54.8);
    }

    [Fact]
    public void A_benchmark_run_reports_consistent_positive_numbers()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4 };
        var result = TrainingBenchmark.Run("tiny", hp, iterations: 2);
        Assert.True(result.SecondsPerIteration > 0);
        // The record's constructor takes two dozen numbers by position: these two catch a value in the wrong place.
        Assert.Equal(hp.BatchSize / result.SecondsPerIteration, result.ImagesPerSecond, 6);
        Assert.Equal(result.GflopPerIteration / result.SecondsPerIteration, result.AchievedGflops, 6);
        Assert.True(result.ReferenceBeforeGflops > 0 && result.ReferenceAfterGflops > 0 && result.ReferenceBf16Gflops > 0);
        Assert.True(result.SamplesPerSecond > 0 && result.FacadesPerSecond > 0);
        Assert.Equal(32, result.ImageSize);
        Assert.True(result.BatchSeconds > 0 && result.BatchFraction < 1);
        Assert.Equal(256, result.DataImages); // the generated JPEG facades, all decoded
        Assert.True(result.DataSeconds > 0 && result.DataCachedSeconds > 0);
        Assert.True(result.DataCachedSeconds < result.DataSeconds, "loading from the cache was not faster than decoding");
        Assert.True(result.ConvolutionSeconds > 0);
        if (OperatingSystem.IsLinux()) Assert.True(result.PageFaultsPerIteration >= 0);
        Assert.InRange(result.WarmupIterations, 2, 30);
        Assert.InRange(result.WarmupIterationsBf16, 2, 30);
    }

    [Fact]
    public void The_derived_figures_follow_the_definitions_in_the_readme()
    {
        // Round numbers, worked by hand: a reference of 200 GFLOP/s before the training iterations and 220 after,
        // a float32 iteration of 4 s doing 756 GFLOP (189 GFLOP/s), bfloat16 in 2.5 s, its convolutions alone 3.5 s.
        var result = new BenchmarkResult("p", 128, 1.0, 16, 2,
            ReferenceBeforeGflops: 200, ReferenceAfterGflops: 220, ReferenceBf16Gflops: 400,
            SecondsPerIteration: 4, ImagesPerSecond: 4, GflopPerIteration: 756, AchievedGflops: 189, SecondsPerIterationBf16: 2.5,
            BatchSeconds: 0.002, SamplesPerSecond: 20, FacadesPerSecond: 1000, DataSource: "x", DataImages: 100,
            DataSeconds: 0.5, DataCachedSeconds: 0.05, ConvolutionSeconds: 3.5, PageFaultsPerIteration: 0,
            WarmupIterations: 2, WarmupIterationsBf16: 2);
        Assert.Equal(210, result.ReferenceGflops, 9);            // the mean of before and after
        Assert.Equal(20.0 / 210, result.ReferenceDrift, 9);      // (after − before) / mean
        Assert.Equal(0.9, result.FractionOfReference, 9);        // 189 achieved against 210
        Assert.Equal(1.6, result.Bf16Speedup, 9);                // 4 s / 2.5 s
        Assert.Equal(0.0005, result.BatchFraction, 9);           // 2 ms of 4 s
        Assert.Equal(0.875, result.ConvolutionShare, 9);         // 3.5 s of 4 s
        Assert.Equal(216, result.ConvolutionGflops, 9);          // 756 GFLOP in 3.5 s
        Assert.Equal(200, result.DataImagesPerSecond, 9);        // 100 images in 0.5 s
    }

    [Fact]
    public void Warm_up_ends_after_three_quiet_iterations_in_a_row_and_never_before_the_minimum_or_after_the_maximum()
    {
        const long growing = 16_400, quiet = 40; // a 64 MB step of the heap, and a settled iteration
        bool Over(params long?[] faults) => TrainingBenchmark.WarmedUp(faults, minimum: 2, maximum: 30);
        Assert.False(Over());
        Assert.False(Over(quiet));
        Assert.False(Over(quiet, quiet));                        // quiet, but fewer than three
        Assert.True(Over(quiet, quiet, quiet));
        Assert.False(Over(growing, quiet, quiet));
        Assert.False(Over(quiet, quiet, growing));
        Assert.True(Over(growing, growing, quiet, quiet, quiet));
        Assert.False(Over(quiet, quiet, quiet, growing, quiet, quiet)); // judged on the last three only
        Assert.True(Over(Enumerable.Repeat<long?>(growing, 30).ToArray())); // a heap that never settles
        Assert.False(Over(Enumerable.Repeat<long?>(growing, 29).ToArray()));
        Assert.True(Over(null, null));                           // no page-fault counter: the minimum
        Assert.False(Over(new long?[] { null }));
        Assert.False(TrainingBenchmark.WarmedUp(new long?[] { quiet, quiet, quiet }, minimum: 4, maximum: 30));
        Assert.True(TrainingBenchmark.WarmedUp(new long?[] { growing }, minimum: 1, maximum: 1)); // the sweep's single warm-up
    }

    [Fact]
    public void The_convolutions_timed_alone_are_every_convolution_of_the_articles_model_at_its_shape()
    {
        var hp = Hyperparameters.Article;
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var gSummary = ModelSummary.Of(g, hp.LatentSize);
        var dSummary = ModelSummary.Of(d, hp.ImageSize);
        var gLayers = TrainingBenchmark.Convolutions(gSummary, transposed: true);
        var dLayers = TrainingBenchmark.Convolutions(dSummary, transposed: false);
        Assert.Equal(new (long, long, long, long)[] { (1024, 8, 512, 2), (512, 16, 256, 2), (256, 32, 128, 2), (128, 64, 64, 2), (64, 128, 3, 1) },
            gLayers.Select(l => (l.InChannels, l.InSide, l.OutChannels, l.Stride)));
        Assert.Equal(new (long, long, long, long)[] { (3, 128, 64, 2), (64, 64, 128, 2), (128, 32, 256, 2), (256, 16, 512, 1), (512, 16, 1024, 2) },
            dLayers.Select(l => (l.InChannels, l.InSide, l.OutChannels, l.Stride)));
        Assert.All(gLayers, l => Assert.True(l.Transposed));
        Assert.All(dLayers, l => Assert.False(l.Transposed));
        // Everything but the dense layers: the projection of z in G and the classifier in D.
        Assert.Equal(gSummary.Layers.Where(l => l.Kind == "ConvTranspose2d").Sum(l => l.MultiplyAdds), gLayers.Sum(l => l.MultiplyAdds));
        Assert.Equal(dSummary.Layers.Where(l => l.Kind == "Conv2d").Sum(l => l.MultiplyAdds), dLayers.Sum(l => l.MultiplyAdds));
        Assert.True(gLayers.Sum(l => l.MultiplyAdds) > 0.95 * gSummary.MultiplyAdds);
    }

    [Fact]
    public void Timing_the_layers_covers_every_convolution_once_with_each_pass_timed()
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4 };
        var timings = TrainingBenchmark.Layers(hp);
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var gSummary = ModelSummary.Of(g, hp.LatentSize);
        var dSummary = ModelSummary.Of(d, hp.ImageSize);
        int gCount = gSummary.Layers.Count(l => l.Kind == "ConvTranspose2d"), dCount = dSummary.Layers.Count(l => l.Kind == "Conv2d");
        Assert.Equal(Enumerable.Range(1, gCount).Select(i => $"G{i}").Concat(Enumerable.Range(1, dCount).Select(i => $"D{i}")), timings.Select(t => t.Name));
        Assert.All(timings, t => Assert.Equal(t.Name[0] == 'G', t.Transposed));
        // The work of one pass of every layer adds up to one forward pass of each network at this batch size.
        var convolutionMacs = gSummary.Layers.Where(l => l.Kind == "ConvTranspose2d").Sum(l => l.MultiplyAdds)
            + dSummary.Layers.Where(l => l.Kind == "Conv2d").Sum(l => l.MultiplyAdds);
        Assert.Equal(2.0 * convolutionMacs * hp.BatchSize / 1e9, timings.Sum(t => t.Gflop), 9);
        Assert.All(timings, t => Assert.True(t.ForwardSeconds > 0 && t.InputGradientSeconds > 0 && t.WeightGradientSeconds > 0, t.Name));
        Assert.All(timings, t => Assert.Equal(t.Gflop / t.WeightGradientSeconds, t.WeightGradientGflops, 6));
        var first = timings.First(t => t.Name == "D1");
        Assert.Equal((3L, 32L), (first.InChannels, first.InSide)); // D reads the RGB images
        Assert.Equal(3, timings.Last(t => t.Transposed).OutChannels); // G's last layer draws RGB
    }

    [Fact]
    public void A_sweep_times_every_configuration_in_every_precision_with_the_work_growing_with_size_and_batch()
    {
        var hp = Hyperparameters.Quick with { Width = 0.0625 };
        var points = TrainingBenchmark.Sweep(hp, new[] { (32, 4), (64, 4), (32, 8) }, new[] { Precision.Float32, Precision.BFloat16 }, iterations: 1);
        Assert.Equal(6, points.Count);
        Assert.All(points, p => Assert.True(p.SecondsPerIteration > 0));
        double Work(int size, int batch) => points.First(p => p.ImageSize == size && p.BatchSize == batch).GflopPerIteration;
        Assert.Equal(2 * Work(32, 4), Work(32, 8), 6);     // linear in the batch
        Assert.InRange(Work(64, 4) / Work(32, 4), 3.5, 5); // about 4x per doubling of the side, plus one more stage
    }

    [Theory]
    [InlineData(2, 0.1, 2)]
    [InlineData(2, 0.9, 1)]
    [InlineData(2, 1.6, 1)]
    [InlineData(2, 2.0, 1)]
    [InlineData(16, 3.2, 13)]
    public void Auto_threads_leave_out_the_cores_other_processes_keep_busy(int cores, double busy, int expected) =>
        Assert.Equal(expected, ThreadChoice.Auto(cores, busy));

    [Fact]
    public void Auto_threads_use_every_core_when_the_load_is_unknown_and_reject_a_non_positive_override()
    {
        Assert.Equal(8, ThreadChoice.Auto(8, null));
        Assert.Throws<HyperparameterException>(() => ThreadChoice.Apply(0));
        var busy = ThreadChoice.BusyCores(TimeSpan.FromMilliseconds(50));
        Assert.NotNull(busy); // Linux has /proc/stat
        Assert.InRange(busy!.Value, 0, Environment.ProcessorCount + 0.01);
    }
}
