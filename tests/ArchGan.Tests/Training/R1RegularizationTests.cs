using ArchGan.Model;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Training;

public class R1RegularizationTests
{
    private static Tensor Images(int count, int seed) =>
        torch.rand(new long[] { count, 3, 32, 32 }, generator: new torch.Generator((ulong)seed)).mul_(2).sub_(1);

    [Fact]
    public void The_penalty_is_the_mean_squared_size_of_Ds_gradient_with_respect_to_each_image()
    {
        using var d = new Discriminator(TrainerTests.Tiny, new torch.Generator(3));
        var images = Images(4, 5);
        var penalty = R1Regularization.Penalty(d, images).item<float>();

        // The same gradient the ordinary way: one backward pass to the pixels.
        var x = images.clone().requires_grad_(true);
        d.call(x).sum().backward();
        var expected = x.grad!.square().sum(new long[] { 1, 2, 3 }).mean().item<float>();
        Assert.True(expected > 0);
        Assert.Equal(expected, penalty, expected * 1e-4);
    }

    [Fact]
    public void R1_steps_alone_flatten_D_at_the_images_they_see()
    {
        // Only the penalty's second derivative moves D here: without it the step would have no gradient, and with
        // a wrong one the penalty would not fall.
        using var trainer = new GanTrainer(TrainerTests.Tiny with { R1Gamma = 1, R1Interval = 1 }, TestData.Blocks(8, 32));
        var images = Images(4, 5);
        var penalties = Enumerable.Range(0, 10).Select(_ => trainer.R1Step(images)).ToList();
        Assert.True(penalties[0] > 0, $"the first penalty is {penalties[0]}");
        Assert.True(penalties[^1] < penalties[0] / 2, $"penalties {string.Join(", ", penalties)}");
    }

    [Fact]
    public void Training_with_it_keeps_D_flatter_at_the_real_images_and_resumes_exactly()
    {
        var data = TestData.Blocks(16, 32);
        var hp = TrainerTests.Tiny with { Epochs = 6 };
        var regularized = hp with { R1Gamma = 10, R1Interval = 2 };
        using var plain = new GanTrainer(hp, data);
        plain.Train();
        using var trainer = new GanTrainer(regularized, data);
        Assert.Equal(0, trainer.R1Penalty);
        trainer.Train();
        Assert.True(float.IsFinite(trainer.R1Penalty) && trainer.R1Penalty > 0, $"R1 penalty {trainer.R1Penalty}");

        var reals = data.ToTensor().to(ScalarType.Float32).div(127.5).sub(1);
        var flatPlain = R1Regularization.Penalty(plain.Discriminator, reals).item<float>();
        var flatRegularized = R1Regularization.Penalty(trainer.Discriminator, reals).item<float>();
        Assert.True(flatRegularized < flatPlain / 2, $"E‖∇D(x)‖² with R1 {flatRegularized}, without {flatPlain}");

        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(regularized with { Epochs = 3 }, data, run))
            first.Train();
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: regularized.Epochs);
        resumed.Train();
        Assert.Equal(trainer.History.Steps, resumed.History.Steps);
    }

    [Fact]
    public void A_negative_weight_or_an_interval_below_1_is_refused_by_name()
    {
        Assert.Equal(nameof(Hyperparameters.R1Gamma), Assert.Throws<HyperparameterException>(() => (TrainerTests.Tiny with { R1Gamma = -1 }).Validate()).Field);
        Assert.Equal(nameof(Hyperparameters.R1Gamma), Assert.Throws<HyperparameterException>(() => (TrainerTests.Tiny with { R1Gamma = double.NaN }).Validate()).Field);
        Assert.Equal(nameof(Hyperparameters.R1Interval), Assert.Throws<HyperparameterException>(() => (TrainerTests.Tiny with { R1Interval = 0 }).Validate()).Field);
    }
}
