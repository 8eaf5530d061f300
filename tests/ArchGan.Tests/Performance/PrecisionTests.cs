using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;

namespace ArchGan.Tests.Performance;

public class PrecisionTests
{
    // Slow (a few minutes on 2 cores): left out of CI; run with dotnet test --filter Category=Slow.
    [Fact]
    [Trait("Category", "Slow")]
    public void The_quick_presets_first_200_iterations_in_bfloat16_have_losses_within_a_few_percent_of_float32s()
    {
        var data = Facades.Generate(256, 64, 0);
        var hp = Hyperparameters.Quick with { Epochs = 25, SampleEvery = 1000 }; // 8 batches x 25 epochs = 200 iterations
        (double D, double G) MeanLosses(Precision precision)
        {
            using var trainer = new GanTrainer(hp with { Precision = precision }, data);
            trainer.Train();
            Assert.Equal(200, trainer.Iteration);
            Assert.All(trainer.History.Steps, s => Assert.True(float.IsFinite(s.LossD) && float.IsFinite(s.LossG)));
            return (trainer.History.Steps.Average(s => s.LossD), trainer.History.Steps.Average(s => s.LossG));
        }
        var full = MeanLosses(Precision.Float32);
        var half = MeanLosses(Precision.BFloat16);
        Assert.InRange(half.D / full.D, 0.95, 1.05);
        Assert.InRange(half.G / full.G, 0.95, 1.05);
    }
}
