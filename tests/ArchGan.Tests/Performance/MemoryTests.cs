using System.Diagnostics;
using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;
using TorchSharp;

namespace ArchGan.Tests.Performance;

/// <summary>Alone in its collection: resident memory is per process, and other tests would move it.</summary>
[Collection(nameof(MemoryTests))]
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public class MemoryTests
{
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    // Slow (minutes on 2 shared cores): left out of CI; run with dotnet test --filter Category=Slow.
    // In bfloat16 G's stride-2 layers go through BatchWeightGradient, a custom autograd function whose
    // graph nodes are managed objects: they must go when the graph does.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    public void Resident_memory_stays_flat_over_2000_iterations(Precision precision)
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4, SampleEvery = 100, Precision = precision };
        var data = TestData.Blocks(64, 32);
        using var trainer = new GanTrainer(hp, data);
        using var batches = new ImageBatches(data, hp.BatchSize, hp.Seed, flip: true);

        void Iterate(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var batch = batches.Batch(i / batches.BatchesPerEpoch, i % batches.BatchesPerEpoch);
                trainer.Step(batch);
                if (i % hp.SampleEvery == 0) trainer.Samples();
            }
        }

        Iterate(200); // allocator pools, JIT and libtorch caches settle first
        var before = ResidentBytes();
        Iterate(2000);
        var growth = ResidentBytes() - before;
        Assert.True(growth < 50L << 20, $"resident memory grew by {growth / (1 << 20)} MB over 2,000 iterations");
        Assert.Equal(2200, trainer.History.Count);
    }
}
