using ArchGan.Model;
using ArchGan.Tests.Training;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Model;

public class SkipLayerExcitationTests
{
    private static readonly Hyperparameters Gated = TrainerTests.Tiny with { ImageSize = 64, SkipLayerExcitation = true };

    [Fact]
    public void The_gate_scales_each_channel_by_one_number_in_0_to_1_that_the_small_map_decides()
    {
        using var scope = NewDisposeScope();
        var excitation = new SkipLayerExcitation(lowChannels: 16, highChannels: 8, slope: 0.2);
        var low = randn(2, 16, 8, 8, generator: new torch.Generator(1));
        var high = rand(2, 8, 32, 32, generator: new torch.Generator(2)).add(0.5); // positive, so the ratio is defined
        var ratio = excitation.call(low, high).div(high);

        // One factor per image and channel: the same at every pixel.
        var perChannel = ratio.amax(new long[] { 2, 3 });
        Assert.True(ratio.amin(new long[] { 2, 3 }).allclose(perChannel, rtol: 1e-5, atol: 1e-6), "the gate varies across pixels");
        Assert.True(perChannel.min().item<float>() > 0 && perChannel.max().item<float>() < 1);
        // Another small map, other gates; the large map's content does not choose them.
        var other = excitation.call(randn(2, 16, 8, 8, generator: new torch.Generator(3)) * 10, high).div(high).amax(new long[] { 2, 3 });
        Assert.False(other.allclose(perChannel, rtol: 1e-3, atol: 1e-4), "the gate ignores the small map");
        var sameGates = excitation.call(low, high.mul(2)).div(high.mul(2)).amax(new long[] { 2, 3 });
        Assert.True(sameGates.allclose(perChannel, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(128, 2)]
    [InlineData(256, 3)]
    public void Every_stage_from_64_pixels_up_is_gated_and_the_plain_layers_start_the_same(int size, int gates)
    {
        using var scope = NewDisposeScope();
        var hp = Gated with { ImageSize = size, Width = 0.0625 };
        using var plain = new ArchGan.Model.Generator(hp with { SkipLayerExcitation = false }, new torch.Generator(4));
        using var gated = new ArchGan.Model.Generator(hp, new torch.Generator(4));

        Assert.Equal(gates, gated.modules().OfType<SkipLayerExcitation>().Count());
        var plainWeights = plain.named_parameters().ToList();
        var gatedWeights = gated.named_parameters().ToList();
        Assert.All(gatedWeights.Skip(plainWeights.Count), p => Assert.StartsWith("excitations.", p.name));
        foreach (var ((name, a), (otherName, b)) in plainWeights.Zip(gatedWeights))
        {
            Assert.Equal(name, otherName);
            Assert.True(a.allclose(b, rtol: 0, atol: 0), $"{name} starts differently with the gates");
        }
        using var images = gated.call(randn(2, hp.LatentSize));
        Assert.Equal(new long[] { 2, 3, size, size }, images.shape);
        Assert.False(images.allclose(plain.call(randn(2, hp.LatentSize)), rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void At_32_pixels_there_is_nothing_to_gate_and_the_recipe_says_so()
    {
        var error = Assert.Throws<HyperparameterException>(() => (Gated with { ImageSize = 32 }).Validate());
        Assert.Contains("SkipLayerExcitation", error.Message);
        Assert.Contains("64", error.Message);
    }

    [Fact]
    public void The_gates_train_with_G_and_a_gated_run_resumes_exactly()
    {
        var data = TestData.Blocks(16, 64);
        using var straight = new GanTrainer(Gated, data);
        var before = straight.Generator.named_parameters().Where(p => p.name.StartsWith("excitations.")).Select(p => p.parameter.clone()).ToList();
        Assert.Equal(TrainingOutcome.Completed, straight.Train());
        var after = straight.Generator.named_parameters().Where(p => p.name.StartsWith("excitations.")).Select(p => p.parameter).ToList();
        Assert.Contains(before.Zip(after), pair => !pair.First.allclose(pair.Second, rtol: 0, atol: 0));

        using var resumed = TestData.TrainResumedAfterFirstEpoch(Gated, data);
        Assert.True(resumed.Hp.SkipLayerExcitation);
        Assert.Equal(straight.History.Steps, resumed.History.Steps);
    }
}
