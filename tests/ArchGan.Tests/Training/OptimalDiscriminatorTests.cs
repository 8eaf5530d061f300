using ArchGan.Training;

namespace ArchGan.Tests.Training;

/// <summary>The one-dimensional game notebook 5 uses to show why 2 ln 2 is the balance.</summary>
public sealed class OptimalDiscriminatorTests
{
    [Fact]
    public void When_the_generator_matches_the_data_the_best_D_answers_one_half_and_lossD_is_2_ln_2()
    {
        Assert.Equal(0.5, OptimalDiscriminator.Of(0.3, 0.3));
        Assert.Equal(2 * Math.Log(2), OptimalDiscriminator.LossAtOptimum(0), 6);
    }

    [Fact]
    public void The_further_the_generator_is_from_the_data_the_lower_the_best_Ds_loss()
    {
        var losses = new[] { 0.0, 0.5, 1, 2, 4, 8 }.Select(s => OptimalDiscriminator.LossAtOptimum(s)).ToArray();
        Assert.True(losses.Zip(losses.Skip(1)).All(pair => pair.Second < pair.First), string.Join(", ", losses));
        Assert.True(losses[^1] < 0.01, $"far apart, D* separates them almost perfectly: {losses[^1]}");
    }
}
