using ArchGan.Model;
using ArchGan.Sampling;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Training;

/// <summary>The options of the improved recipe: losses, label smoothing, the moving average, bfloat16.</summary>
public class RecipeTests
{
    private static bool Eq(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static readonly Hyperparameters Tiny = TrainerTests.Tiny;

    private static Tensor Scaled(ArchGan.Data.ImageSet images)
    {
        using var bytes = images.ToTensor();
        return bytes.to(ScalarType.Float32).div(127.5).sub(1);
    }

    // The logits D gives now, in training mode (batch statistics), as the step will see them.
    private static (Tensor Real, Tensor Fake) Logits(GanTrainer trainer, Tensor real, Tensor fake)
    {
        using var noGrad = torch.no_grad();
        return (trainer.Discriminator.call(real), trainer.Discriminator.call(fake));
    }

    [Fact]
    public void Hinge_losses_follow_their_formulas()
    {
        using var trainer = new GanTrainer(Tiny with { Loss = GanLoss.Hinge }, TestData.Blocks(8, 32));
        using var real = Scaled(TestData.Blocks(4, 32, seed: 2));
        using var fake = trainer.Generator.call(Sampler.Noise(4, Tiny.LatentSize, new torch.Generator(1))).detach();
        var (r, f) = Logits(trainer, real, fake);
        var expectedD = (relu(1 - r).mean() + relu(1 + f).mean()).item<float>();
        Assert.Equal(expectedD, trainer.DiscriminatorStep(real, fake).Loss, 4);

        var (_, after) = Logits(trainer, real, fake);
        // In training the fakes carry G's graph; here a leaf that wants gradients stands in for it.
        Assert.Equal(-after.mean().item<float>(), trainer.GeneratorStep(fake.requires_grad_(true)), 4);
    }

    [Fact]
    public void Label_smoothing_labels_real_images_one_minus_s()
    {
        using var trainer = new GanTrainer(Tiny with { LabelSmoothing = 0.1 }, TestData.Blocks(8, 32));
        using var real = Scaled(TestData.Blocks(4, 32, seed: 2));
        using var fake = trainer.Generator.call(Sampler.Noise(4, Tiny.LatentSize, new torch.Generator(1))).detach();
        var (r, f) = Logits(trainer, real, fake);
        var smoothed = (binary_cross_entropy_with_logits(r, torch.full_like(r, 0.9)) + binary_cross_entropy_with_logits(f, torch.zeros_like(f))).item<float>();
        var unsmoothed = (binary_cross_entropy_with_logits(r, torch.ones_like(r)) + binary_cross_entropy_with_logits(f, torch.zeros_like(f))).item<float>();
        Assert.NotEqual(smoothed, unsmoothed, 3);
        Assert.Equal(smoothed, trainer.DiscriminatorStep(real, fake).Loss, 4);
    }

    [Fact]
    public void Label_smoothing_with_the_hinge_loss_is_refused_by_name()
    {
        var e = Assert.Throws<HyperparameterException>(() => (Tiny with { Loss = GanLoss.Hinge, LabelSmoothing = 0.1 }).Validate());
        Assert.Equal(nameof(Hyperparameters.LabelSmoothing), e.Field);
        Assert.Throws<HyperparameterException>(() => (Tiny with { EmaDecay = 1.0 }).Validate());
    }

    [Fact]
    public void The_LeCam_penalty_pulls_each_kind_of_logit_towards_the_other_kinds_average()
    {
        var data = TestData.Blocks(8, 32);
        using var trainer = new GanTrainer(Tiny with { LeCamWeight = 0.3 }, data);
        using var real = Scaled(TestData.Blocks(4, 32, seed: 2));
        using var fake = trainer.Generator.call(Sampler.Noise(4, Tiny.LatentSize, new torch.Generator(1))).detach();
        for (int step = 0; step < 3; step++)
        {
            var (r, f) = Logits(trainer, real, fake);
            var averages = trainer.LeCam; // before the step: α_R and α_F the penalty uses
            var bce = (binary_cross_entropy_with_logits(r, torch.ones_like(r)) + binary_cross_entropy_with_logits(f, torch.zeros_like(f))).item<float>();
            // Real logits above α_F and fake logits below α_R cost their squared distance, times λ.
            var penalty = (relu(r - averages.Fake).square().mean() + relu(-f + averages.Real).square().mean()).item<float>();
            Assert.Equal(bce + 0.3f * penalty, trainer.DiscriminatorStep(real, fake).Loss, 4);
            // The averages then take 1% of this step's mean logits.
            Assert.Equal(0.99 * averages.Real + 0.01 * r.mean().item<float>(), trainer.LeCam.Real, 6);
            Assert.Equal(0.99 * averages.Fake + 0.01 * f.mean().item<float>(), trainer.LeCam.Fake, 6);
        }
        Assert.True(trainer.LeCam.Real > trainer.LeCam.Fake, "D should rate the real blocks above the untrained G's images");
        using var plain = new GanTrainer(Tiny, data);
        plain.DiscriminatorStep(real, fake);
        Assert.Equal(default, plain.LeCam); // off: nothing tracked
    }

    [Fact]
    public void A_run_with_the_LeCam_penalty_resumes_exactly_and_a_negative_weight_is_refused()
    {
        var data = TestData.Blocks(16, 32);
        var hp = Tiny with { LeCamWeight = 0.3 };
        using var straight = new GanTrainer(hp, data);
        straight.Train();

        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(hp with { Epochs = 1 }, data, run)) first.Train();
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: 2);
        Assert.NotEqual(default, resumed.LeCam); // the averages come back with the weights
        resumed.Train();
        Assert.Equal(straight.History.Steps, resumed.History.Steps);
        Assert.Equal(straight.LeCam, resumed.LeCam);
        var e = Assert.Throws<HyperparameterException>(() => (Tiny with { LeCamWeight = -1 }).Validate());
        Assert.Equal(nameof(Hyperparameters.LeCamWeight), e.Field);
    }

    [Theory]
    [InlineData(Upsampling.NearestThenConvolution)]
    [InlineData(Upsampling.EvenTransposedConvolution)]
    public void A_generator_with_checkerboard_free_stages_trains_and_its_checkpoint_rebuilds_it(Upsampling upsampling)
    {
        var data = TestData.Blocks(16, 32);
        var hp = Tiny with { Upsampling = upsampling, Epochs = 1 };
        var run = TestData.TempDirectory();
        using (var trainer = new GanTrainer(hp, data, run))
        {
            Assert.Equal(TrainingOutcome.Completed, trainer.Train());
            Assert.All(trainer.History.Steps, s => Assert.True(float.IsFinite(s.LossD) && float.IsFinite(s.LossG)));
        }
        var (generator, saved) = Checkpoint.LoadGenerator(Path.Combine(run, Checkpoint.FileName));
        using (generator)
        {
            Assert.Equal(upsampling, saved.Upsampling);
            // The rebuilt network has the stages the recipe trained, not the article's.
            var stage = generator.named_parameters().First(p => p.name == "stages.0.conv.weight").parameter;
            if (upsampling == Upsampling.NearestThenConvolution)
                Assert.Contains(generator.modules(), m => m is TorchSharp.Modules.Upsample);
            else
                Assert.Equal(Architecture.EvenKernel, stage.shape[3]);
        }
    }

    [Fact]
    public void The_moving_average_follows_the_generator_with_the_ramped_decay_and_draws_the_grids()
    {
        var data = TestData.Blocks(8, 32);
        using var plain = new GanTrainer(Tiny, data);
        Assert.Null(plain.EmaGenerator);
        Assert.Same(plain.Generator, plain.SamplingGenerator);

        using var trainer = new GanTrainer(Tiny with { EmaDecay = 0.999 }, data);
        Assert.Same(trainer.EmaGenerator, trainer.SamplingGenerator);
        var before = trainer.Generator.parameters().Select(p => p.detach().clone()).ToList();
        using (var batch = Scaled(data.Take(4))) trainer.Step(batch);
        // First update: β = min(0.999, (1 + 0) / (10 + 0)) = 0.1, so ema = 0.1·θ₀ + 0.9·θ₁.
        foreach (var (average, (start, now)) in trainer.EmaGenerator!.parameters().Zip(before.Zip(trainer.Generator.parameters())))
            Assert.True(torch.allclose(average, start * 0.1 + now * 0.9, rtol: 1e-5, atol: 1e-7));
        Assert.Contains(trainer.Generator.parameters().Zip(trainer.EmaGenerator.parameters()), p => !Eq(p.First, p.Second));
    }

    [Fact]
    public void A_checkpoint_keeps_the_moving_average_and_sampling_loads_it()
    {
        var data = TestData.Blocks(16, 32);
        var hp = Tiny with { EmaDecay = 0.99, Epochs = 1 };
        var path = Path.Combine(TestData.TempDirectory(), "ema.ckpt");
        using var trainer = new GanTrainer(hp, data);
        trainer.Train();
        trainer.Save(path);

        using var resumed = GanTrainer.Resume(path, data);
        Assert.True(resumed.EmaGenerator!.parameters().Zip(trainer.EmaGenerator!.parameters()).All(p => Eq(p.First, p.Second)));
        var (average, _) = Checkpoint.LoadGenerator(path);
        var (raw, _) = Checkpoint.LoadGenerator(path, average: false);
        using (average) Assert.True(average.parameters().Zip(trainer.EmaGenerator.parameters()).All(p => Eq(p.First, p.Second)));
        using (raw) Assert.True(raw.parameters().Zip(trainer.Generator.parameters()).All(p => Eq(p.First, p.Second)));
    }

    [Fact]
    public void The_full_improved_recipe_resumes_exactly()
    {
        var data = TestData.Blocks(16, 32);
        // Improved's switches: spectral normalization's power-iteration vectors must resume too.
        var hp = Tiny with { Loss = GanLoss.Hinge, SpectralNormalization = true, DiffAugment = "color,translation,cutout", EmaDecay = 0.99, Flip = true };
        using var straight = new GanTrainer(hp, data);
        straight.Train();

        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(hp with { Epochs = 1 }, data, run)) first.Train();
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: 2);
        resumed.Train();
        Assert.Equal(straight.History.Steps, resumed.History.Steps);
        foreach (var (a, b) in straight.EmaGenerator!.parameters().Zip(resumed.EmaGenerator!.parameters()))
            Assert.True(Eq(a, b));
    }

    [Fact]
    public void Bfloat16_convolutions_give_float32_outputs_and_gradients_close_to_float32s()
    {
        var hp = Tiny with { Width = 0.25 };
        using var z = Sampler.Noise(4, hp.LatentSize, new torch.Generator(2));
        // Two networks with the same initial weights, one built for each precision.
        List<Tensor> Gradients(Precision precision)
        {
            using var random = new torch.Generator(3);
            using var generator = new Generator(hp with { Precision = precision }, random);
            var images = generator.call(z);
            Assert.Equal(ScalarType.Float32, images.dtype);
            images.square().mean().backward();
            return generator.parameters().Select(p => p.grad!.clone()).ToList();
        }
        var full = Gradients(Precision.Float32);
        var half = Gradients(Precision.BFloat16);
        Assert.Contains(full.Zip(half), g => !Eq(g.First, g.Second)); // it did run in bfloat16
        Assert.All(half, h => Assert.Equal(ScalarType.Float32, h.dtype));
        // bfloat16 keeps 8 significant bits, and the rounding adds up over the layers: all gradients together
        // within 3% of float32's in norm, and each one pointing the same way (cosine above 0.99).
        var all = (F: torch.cat(full.Select(g => g.flatten()).ToList()), H: torch.cat(half.Select(g => g.flatten()).ToList()));
        var relative = ((all.F - all.H).norm() / all.F.norm()).item<float>();
        Assert.True(relative < 0.03, $"gradients differ from float32's by {relative:P1}");
        // Biases of convolutions followed by BatchNorm have a gradient of zero in exact arithmetic (the
        // normalization removes them), so only rounding noise to compare there: they are left out.
        var largest = full.Max(g => g.norm().item<float>());
        foreach (var (f, h) in full.Zip(half).Where(p => p.First.norm().item<float>() > 1e-4 * largest))
        {
            var cosine = (f.flatten().dot(h.flatten()) / (f.norm() * h.norm() + 1e-20)).item<float>();
            Assert.True(cosine > 0.99, $"a gradient turned by cos = {cosine:F4}");
        }
    }

    [Fact]
    public void DiffAugment_changes_what_the_discriminator_sees()
    {
        // The step's loss against the same loss on the unaugmented images, from the same trainer: equal
        // without a policy (as the label-smoothing test shows), different with one.
        using var trainer = new GanTrainer(Tiny with { DiffAugment = "translation,cutout" }, TestData.Blocks(8, 32));
        using var real = Scaled(TestData.Blocks(4, 32, seed: 2));
        using var fake = trainer.Generator.call(Sampler.Noise(4, Tiny.LatentSize, new torch.Generator(1))).detach();
        var (r, f) = Logits(trainer, real, fake);
        var unaugmented = (binary_cross_entropy_with_logits(r, torch.ones_like(r)) + binary_cross_entropy_with_logits(f, torch.zeros_like(f))).item<float>();
        Assert.NotEqual(unaugmented, trainer.DiscriminatorStep(real, fake).Loss, 3);
    }

    [Fact]
    public void A_short_bfloat16_run_has_finite_losses_within_a_few_percent_of_float32s()
    {
        var data = TestData.Blocks(64, 32);
        var hp = Tiny with { Width = 0.25, BatchSize = 16, Epochs = 10, SampleEvery = 1000 }; // 40 iterations
        // A band of 5% on the mean losses: bfloat16 rounding moves single iterations, not the average.
        static (double D, double G) MeanLosses(Hyperparameters hp, ArchGan.Data.ImageSet data)
        {
            using var trainer = new GanTrainer(hp, data);
            trainer.Train();
            Assert.All(trainer.History.Steps, s => Assert.True(float.IsFinite(s.LossD) && float.IsFinite(s.LossG)));
            return (trainer.History.Steps.Average(s => s.LossD), trainer.History.Steps.Average(s => s.LossG));
        }
        var full = MeanLosses(hp with { Precision = Precision.Float32 }, data);
        var half = MeanLosses(hp with { Precision = Precision.BFloat16 }, data);
        Assert.NotEqual(full, half);
        Assert.InRange(half.D / full.D, 0.95, 1.05);
        Assert.InRange(half.G / full.G, 0.95, 1.05);
    }
}
