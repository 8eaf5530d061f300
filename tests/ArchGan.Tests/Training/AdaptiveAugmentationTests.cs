using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Training;

public class AdaptiveAugmentationTests
{
    private static readonly Hyperparameters Adaptive = TrainerTests.Tiny with
    {
        DiffAugment = "color,translation,cutout",
        AdaptiveAugmentTarget = 0.6,
    };

    [Fact]
    public void The_strength_moves_one_batch_over_the_images_towards_the_target_and_stays_in_0_to_1()
    {
        Assert.Equal(0.51, AdaptiveAugmentation.Next(0.5, overfitting: 0.8, target: 0.6, batchSize: 16, images: 1600), 12);
        Assert.Equal(0.49, AdaptiveAugmentation.Next(0.5, overfitting: 0.4, target: 0.6, batchSize: 16, images: 1600), 12);
        Assert.Equal(0.5, AdaptiveAugmentation.Next(0.5, overfitting: 0.6, target: 0.6, batchSize: 16, images: 1600), 12);
        Assert.Equal(0, AdaptiveAugmentation.Next(0.005, overfitting: -1, target: 0.6, batchSize: 16, images: 1600));
        Assert.Equal(1, AdaptiveAugmentation.Next(0.995, overfitting: 1, target: 0.6, batchSize: 16, images: 1600));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.7)]
    public void Each_transformation_applies_to_about_p_of_the_images(double p)
    {
        var images = torch.rand(new long[] { 400, 3, 8, 8 }, generator: new torch.Generator(3)).mul_(0.8).add_(0.1);
        var augmented = Augmentation.Apply(images, "color", new torch.Generator(5), p);
        var changed = augmented.sub(images).abs().amax(new long[] { 1, 2, 3 }).gt(1e-6).to(ScalarType.Float32).mean().item<float>();
        // Binomial: a standard deviation of about 0.023 at 400 images.
        Assert.InRange(changed, p - 0.08, p + 0.08);
    }

    [Fact]
    public void At_0_nothing_changes_and_at_1_the_draws_are_those_of_plain_DiffAugment()
    {
        var images = torch.rand(new long[] { 16, 3, 16, 16 }, generator: new torch.Generator(3));
        Assert.True(Augmentation.Apply(images, "color,translation,cutout", new torch.Generator(5), 0).eq(images).all().item<bool>());
        var plain = Augmentation.Apply(images, "color,translation,cutout", new torch.Generator(5));
        Assert.True(Augmentation.Apply(images, "color,translation,cutout", new torch.Generator(5), 1).eq(plain).all().item<bool>());
        Assert.False(plain.eq(images).all().item<bool>());
    }

    [Fact]
    public void A_run_starts_with_plain_images_raises_the_strength_while_D_overfits_and_resumes_exactly()
    {
        // Sixteen small images, a low target and a fast step: D soon calls every real image real, so p must climb.
        var hp = Adaptive with { AdaptiveAugmentTarget = 0.05, AdaptiveAugmentImages = 40, Epochs = 8 };
        var data = TestData.Blocks(16, 32);
        using var straight = new GanTrainer(hp, data);
        Assert.Equal(0, straight.AugmentProbability);
        straight.Train();
        Assert.True(straight.AugmentProbability >= 0.5, $"p = {straight.AugmentProbability} after {straight.Iteration} iterations");

        // Stopped after the first epoch, where p has left 0, and resumed: p must come back from the checkpoint.
        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(hp with { Epochs = 1 }, data, run))
        {
            first.Train();
            Assert.True(first.AugmentProbability > 0, "p had not moved by the checkpoint, so the resume would not test it");
        }
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: hp.Epochs);
        resumed.Train();
        Assert.Equal(straight.History.Steps, resumed.History.Steps);
        Assert.Equal(straight.AugmentProbability, resumed.AugmentProbability);

        using var plain = new GanTrainer(TrainerTests.Tiny, data);
        Assert.Equal(1, plain.AugmentProbability);
    }

    [Fact]
    public void A_target_out_of_range_or_without_DiffAugment_is_refused_by_name()
    {
        Assert.Contains("AdaptiveAugmentTarget", Assert.Throws<HyperparameterException>(() => (Adaptive with { AdaptiveAugmentTarget = 1 }).Validate()).Message);
        var empty = Assert.Throws<HyperparameterException>(() => (Adaptive with { DiffAugment = "" }).Validate());
        Assert.Contains("AdaptiveAugmentTarget", empty.Message);
        Assert.Contains("DiffAugment", empty.Message);
        Assert.Contains("AdaptiveAugmentImages", Assert.Throws<HyperparameterException>(() => (Adaptive with { AdaptiveAugmentImages = 0 }).Validate()).Message);
    }
}
