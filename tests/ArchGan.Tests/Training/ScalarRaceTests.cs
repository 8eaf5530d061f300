using ArchGan.Training;
using Xunit.Abstractions;

namespace ArchGan.Tests.Training;

/// <summary>
/// The trainer beside threads that collect garbage without pause (<see cref="GarbageStorm"/>). TorchSharp 0.107
/// hands libtorch native Scalars that it does not keep alive through the call (docs/troubleshooting.md,
/// "TorchSharp's temporary Scalars"); a collection on another thread can then free one mid-call, and the
/// iteration throws or computes with a wrong number. The training path holds every Scalar it passes, so a
/// stormy run must compute exactly the numbers of a quiet one.
/// </summary>
/// <remarks>
/// <c>ARCHGAN_STRESS_RUNS</c> and <c>ARCHGAN_STRESS_ITERATIONS</c> lengthen the test, to measure: the counts it
/// prints are what docs/troubleshooting.md reports for the code before and after the Scalars were held.
/// </remarks>
[Trait("Category", "Slow")]
public class ScalarRaceTests(ITestOutputHelper output)
{
    // Quick's switches (DiffAugment, label smoothing, moving average, flips) at a size that trains fast; a grid
    // every 25 iterations, as a notebook's dashboard draws them.
    private static readonly Hyperparameters Recipe = Hyperparameters.Quick with
    {
        ImageSize = 32,
        Width = 0.125,
        BatchSize = 8,
        SampleCount = 8,
        SampleEvery = 25,
        Seed = 3,
        Precision = ArchGan.Model.Precision.Float32,
    };

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    [Fact]
    public void Training_beside_threads_that_collect_without_pause_computes_what_a_quiet_run_does()
    {
        int runs = Setting("ARCHGAN_STRESS_RUNS", 2), iterations = Setting("ARCHGAN_STRESS_ITERATIONS", 200);
        var data = TestData.Blocks(16, 32);
        var hp = Recipe with { Epochs = iterations * Recipe.BatchSize / data.Count };
        var quiet = Train(hp, data);
        Assert.True(quiet.Failure is null, $"the quiet run failed: {quiet.Failure}");

        var failures = new List<string>();
        long collections;
        using (var storm = new GarbageStorm(2))
        {
            for (int run = 0; run < runs; run++)
            {
                var stormy = Train(hp, data);
                var problem = stormy.Failure ?? FirstDifference(quiet.Losses, stormy.Losses);
                if (problem is not null) failures.Add($"run {run + 1}: {problem}");
            }
            collections = storm.Collections;
        }
        output.WriteLine($"{runs} runs of {quiet.Losses.Length / 2} iterations beside {collections} collections: {failures.Count} failed");
        failures.ForEach(output.WriteLine);
        Assert.Empty(failures);
    }

    private static (float[] Losses, string? Failure) Train(Hyperparameters hp, ArchGan.Data.ImageSet data)
    {
        using var trainer = new GanTrainer(hp, data);
        try
        {
            trainer.Train();
        }
        catch (Exception e)
        {
            return (Losses(trainer), $"{e.GetType().Name} after {trainer.History.Count} iterations: {e.Message.Split('\n')[0]}");
        }
        return (Losses(trainer), null);
    }

    // Both losses of every iteration, D's then G's.
    private static float[] Losses(GanTrainer trainer) => trainer.History.LossD.Concat(trainer.History.LossG).ToArray();

    private static string? FirstDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return $"{actual.Length / 2} iterations instead of {expected.Length / 2}";
        int half = expected.Length / 2;
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                return $"{(i < half ? "lossD" : "lossG")} of iteration {i % half + 1} is {actual[i]}, {expected[i]} in the quiet run";
        return null;
    }
}
