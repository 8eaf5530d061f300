using ArchGan.Data;
using ArchGan.Sampling;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Training;

public class TrainerTests
{
    // Float32 on every machine, whatever Precision.Auto would pick: these tests are about training itself,
    // and bfloat16 has tests of its own (RecipeTests, PrecisionTests).
    internal static readonly Hyperparameters Tiny = Hyperparameters.Article with
    {
        ImageSize = 32,
        Width = 0.125,
        BatchSize = 4,
        Epochs = 2,
        SampleCount = 4,
        SampleEvery = 3,
        CheckpointEvery = 1,
        LearningRateD = 2e-4,
        LearningRateG = 2e-4,
        Seed = 7,
        Precision = ArchGan.Model.Precision.Float32,
    };

    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static bool Changed(Dictionary<string, Tensor> before, nn.Module module) =>
        module.named_parameters().Any(p => !before[p.name].eq(p.parameter).all().item<bool>());

    [Fact]
    public void One_iteration_updates_both_networks_with_finite_losses_and_probabilities()
    {
        using var trainer = new GanTrainer(Tiny, TestData.Blocks(8, 32));
        var g0 = Snapshot(trainer.Generator);
        var d0 = Snapshot(trainer.Discriminator);
        using var real = new ImageBatches(TestData.Blocks(8, 32), 4, 0).Batch(0, 0);
        var step = trainer.Step(real);
        Assert.True(step.IsFinite);
        Assert.InRange(step.DReal, 0f, 1f);
        Assert.InRange(step.DFake, 0f, 1f);
        Assert.True(step.LossD > 0 && step.LossG > 0);
        Assert.True(Changed(g0, trainer.Generator));
        Assert.True(Changed(d0, trainer.Discriminator));
        Assert.Equal(1, trainer.History.Count);
    }

    [Fact]
    public void Discriminator_step_changes_only_the_discriminator_and_generator_step_only_the_generator()
    {
        using var trainer = new GanTrainer(Tiny, TestData.Blocks(8, 32));
        using var real = new ImageBatches(TestData.Blocks(8, 32), 4, 0).Batch(0, 0);
        using var z = Sampler.Noise(4, Tiny.LatentSize);
        using var fake = trainer.Generator.call(z);

        var g0 = Snapshot(trainer.Generator);
        var d0 = Snapshot(trainer.Discriminator);
        var (lossD, _, _) = trainer.DiscriminatorStep(real, fake.detach());
        Assert.True(float.IsFinite(lossD));
        Assert.False(Changed(g0, trainer.Generator), "the D step must not move G");
        Assert.True(Changed(d0, trainer.Discriminator), "the D step must move D");

        var d1 = Snapshot(trainer.Discriminator);
        var lossG = trainer.GeneratorStep(fake);
        Assert.True(float.IsFinite(lossG));
        Assert.False(Changed(d1, trainer.Discriminator), "the G step must not move D");
        Assert.True(Changed(g0, trainer.Generator), "the G step must move G");
    }

    [Fact]
    public void The_generator_step_gives_G_its_full_gradient_without_computing_Ds()
    {
        using var trainer = new GanTrainer(Tiny, TestData.Blocks(8, 32));
        using var real = new ImageBatches(TestData.Blocks(8, 32), 4, 0).Batch(0, 0);
        using var z = Sampler.Noise(4, Tiny.LatentSize);
        using var fake = trainer.Generator.call(z);
        trainer.DiscriminatorStep(real, fake.detach());
        var dGrads = trainer.Discriminator.parameters().Select(p => p.grad!.clone()).ToList();

        // G's gradient as plain autograd gives it, with D's weights taking part as usual.
        using var logits = trainer.Discriminator.call(fake);
        using var loss = nn.functional.binary_cross_entropy_with_logits(logits, torch.ones_like(logits));
        var expected = torch.autograd.grad(new[] { loss }, trainer.Generator.parameters().ToArray(), retain_graph: true);

        trainer.GeneratorStep(fake);
        foreach (var (grad, want) in trainer.Generator.parameters().Select(p => p.grad!).Zip(expected))
            Assert.True(grad.allclose(want, rtol: 1e-5, atol: 1e-7), "G's gradient differs from autograd's");
        foreach (var (grad, before) in trainer.Discriminator.parameters().Select(p => p.grad!).Zip(dGrads))
            Assert.True(grad.eq(before).all().item<bool>(), "the G step computed gradients for D's weights");
        Assert.All(trainer.Discriminator.parameters(), p => Assert.True(p.requires_grad, "D's weights must train again in the next D step"));
    }

    [Fact]
    public async Task A_trainers_first_weights_depend_on_its_seed_only_even_while_another_thread_draws_random_numbers()
    {
        var data = TestData.Blocks(8, 32);
        Dictionary<string, Tensor> reference;
        using (var first = new GanTrainer(Tiny, data)) reference = Snapshot(first.Generator).Concat(Snapshot(first.Discriminator).Select(p => KeyValuePair.Create("D." + p.Key, p.Value))).ToDictionary();

        using var stop = new CancellationTokenSource();
        var noise = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) torch.rand(64).Dispose(); // torch's global generator
        });
        try
        {
            for (int i = 0; i < 5; i++)
            {
                using var trainer = new GanTrainer(Tiny, data);
                Assert.False(Changed(reference, trainer.Generator), $"trainer {i}: G's first weights changed");
                Assert.False(Changed(reference.Where(p => p.Key.StartsWith("D.")).ToDictionary(p => p.Key[2..], p => p.Value), trainer.Discriminator), $"trainer {i}: D's first weights changed");
            }
        }
        finally
        {
            stop.Cancel();
            await noise;
        }
    }

    [Fact]
    public void Training_on_a_single_repeated_image_moves_samples_toward_it()
    {
        var data = TestData.Constant(32, 32);
        var hp = Tiny with { BatchSize = 8, Epochs = 120, SampleCount = 8, SampleEvery = 1000 };
        using var trainer = new GanTrainer(hp, data);
        using var target = data.Take(1).ToTensor().to(ScalarType.Float32);

        double Distance()
        {
            using var samples = trainer.Samples().ToTensor().to(ScalarType.Float32);
            return (samples - target).abs().mean().item<float>();
        }

        var before = Distance();
        Assert.Equal(TrainingOutcome.Completed, trainer.Train());
        var after = Distance();
        // Mean absolute pixel error on a 0..255 scale: an untrained generator draws grey (about 70 away);
        // after 480 iterations the samples must be at least 40% closer to the one training image. (After 320 they
        // were only 36% closer on one libtorch thread, which an in-process `train` test can leave set.)
        Assert.True(after < before * 0.6, $"mean |sample - target| went from {before:F1} to {after:F1}");
        Assert.Equal(480, trainer.History.Count);
        Assert.All(trainer.History.Steps, s => Assert.True(s.IsFinite));
    }

    [Fact]
    public void Progress_reports_every_iteration_with_samples_at_the_configured_interval()
    {
        var hp = Tiny with { Epochs = 2 };
        using var trainer = new GanTrainer(hp, TestData.Blocks(16, 32));
        var reports = new List<TrainingProgress>();
        trainer.Progress += reports.Add;
        trainer.Train();
        Assert.Equal(8, reports.Count);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }, reports.Select(r => r.Iteration));
        Assert.Equal(new[] { 1, 1, 1, 1, 2, 2, 2, 2 }, reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(8, r.TotalIterations));
        Assert.Equal(new[] { false, false, true, false, false, true, false, false }, reports.Select(r => r.Samples is not null));
        Assert.Equal(hp.SampleCount, reports[2].Samples!.Count);
    }

    [Fact]
    public void Cancellation_stops_before_the_next_iteration_and_writes_a_checkpoint()
    {
        var run = TestData.TempDirectory();
        using var cancel = new CancellationTokenSource();
        using var trainer = new GanTrainer(Tiny with { Epochs = 3 }, TestData.Blocks(16, 32), run);
        trainer.Progress += p => { if (p.Iteration == 6) cancel.Cancel(); };
        Assert.Equal(TrainingOutcome.Cancelled, trainer.Train(cancel.Token));
        Assert.Equal(6, trainer.History.Count);
        var info = Checkpoint.ReadInfo(trainer.CheckpointPath!);
        Assert.Equal((1, 2, 6L), (info.Epoch, info.BatchInEpoch, info.Iteration));
    }

    [Fact]
    public void A_run_directory_gets_grids_curves_hyperparameters_and_a_checkpoint()
    {
        var run = TestData.TempDirectory();
        using (var trainer = new GanTrainer(Tiny, TestData.Blocks(16, 32), run)) trainer.Train();
        Assert.True(File.Exists(Path.Combine(run, "samples", "epoch-0001.png")));
        Assert.True(File.Exists(Path.Combine(run, "samples", "epoch-0002.png")));
        Assert.True(File.Exists(Path.Combine(run, "samples", "final.png")));
        Assert.True(File.Exists(Path.Combine(run, "samples", "iteration-000003.png")));
        Assert.Equal(Tiny, Hyperparameters.FromJson(File.ReadAllText(Path.Combine(run, "hyperparameters.json"))));
        var html = File.ReadAllText(Path.Combine(run, "losses.html"));
        Assert.Contains("lossD", html);
        Assert.Contains("D(G(z))", html);
        Assert.True(html.Length > 1_000_000, "plotly.js should be embedded so the page opens offline");
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
        Assert.Empty(Directory.GetFiles(run, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Training_with_prefetched_batches_equals_stepping_through_the_batches_by_hand()
    {
        var data = TestData.Blocks(16, 32);
        var hp = Tiny with { Flip = true, Epochs = 3 };
        using var trained = new GanTrainer(hp, data);
        trained.Train();

        using var manual = new GanTrainer(hp, data);
        using var batches = new ImageBatches(data, hp.BatchSize, hp.Seed, hp.Flip);
        for (int epoch = 0; epoch < hp.Epochs; epoch++)
            for (int index = 0; index < batches.BatchesPerEpoch; index++)
            {
                using var batch = batches.Batch(epoch, index);
                manual.Step(batch);
            }
        Assert.Equal(manual.History.Steps, trained.History.Steps);
    }

    [Fact]
    public void Images_of_the_wrong_size_are_rejected_before_training()
    {
        var e = Assert.Throws<HyperparameterException>(() => new GanTrainer(Tiny, TestData.Blocks(8, 64)));
        Assert.Equal("ImageSize", e.Field);
    }

    [Fact]
    public void A_batch_larger_than_the_data_set_is_rejected_by_name()
    {
        var e = Assert.Throws<HyperparameterException>(() => new GanTrainer(Tiny with { BatchSize = 16 }, TestData.Blocks(8, 32)));
        Assert.Equal("BatchSize", e.Field);
        Assert.Contains("8", e.Message);
    }

    [Fact]
    public void A_nan_loss_stops_the_run_naming_the_iteration_and_step_and_keeps_the_last_good_checkpoint()
    {
        var run = TestData.TempDirectory();
        using var trainer = new GanTrainer(Tiny with { Epochs = 3 }, TestData.Blocks(16, 32), run);
        trainer.Progress += p =>
        {
            if (p.Iteration != 5) return;
            using var noGrad = torch.no_grad();
            trainer.Discriminator.parameters().First().fill_(float.NaN);
        };
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Equal(6, e.Iteration);
        Assert.Contains("iteration 6", e.Message);
        Assert.Contains("(D)", e.Message);
        Assert.Equal(trainer.CheckpointPath, e.LastGoodCheckpoint);

        var info = Checkpoint.ReadInfo(trainer.CheckpointPath!);
        Assert.Equal((1, 4L), (info.Epoch, info.Iteration));
        var (generator, _) = Checkpoint.LoadGenerator(trainer.CheckpointPath!);
        using (generator)
            Assert.All(generator.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }

    [Fact]
    public void A_libtorch_failure_stops_the_run_naming_the_iteration_and_leaves_the_last_checkpoint_untouched()
    {
        var run = TestData.TempDirectory();
        using var trainer = new GanTrainer(Tiny with { Epochs = 3 }, TestData.Blocks(16, 32), run);
        byte[]? saved = null;
        trainer.Progress += p =>
        {
            if (p.Iteration != 5) return;
            saved = File.ReadAllBytes(trainer.CheckpointPath!);
            // A weight of the wrong shape: the next forward pass fails inside libtorch, as a native error would.
            using var noGrad = torch.no_grad();
            trainer.Generator.parameters().First().set_(torch.zeros(3, 3));
        };
        var e = Assert.Throws<TrainingFailedException>(() => trainer.Train());
        Assert.Equal(6, e.Iteration);
        Assert.StartsWith("libtorch failed in iteration 6: ", e.Message);
        Assert.IsType<System.Runtime.InteropServices.ExternalException>(e.InnerException);
        Assert.DoesNotContain("\n", e.Message); // the first line of libtorch's message, not its C++ stack trace
        Assert.Equal(trainer.CheckpointPath, e.LastCheckpoint);
        Assert.Contains(trainer.CheckpointPath!, e.Message);
        Assert.Equal(saved, File.ReadAllBytes(trainer.CheckpointPath!));
        Assert.Equal((1, 4L), (Checkpoint.ReadInfo(trainer.CheckpointPath!).Epoch, Checkpoint.ReadInfo(trainer.CheckpointPath!).Iteration));
    }

    [Fact]
    public void A_failure_in_a_run_kept_in_memory_says_it_keeps_no_checkpoints_rather_than_none_yet()
    {
        using var trainer = new GanTrainer(Tiny with { Epochs = 3 }, TestData.Blocks(16, 32)); // no run folder, as compare's arms
        trainer.Progress += p =>
        {
            if (p.Iteration != 5) return;
            using var noGrad = torch.no_grad();
            trainer.Generator.parameters().First().set_(torch.zeros(3, 3));
        };
        var e = Assert.Throws<TrainingFailedException>(() => trainer.Train());
        Assert.Null(e.LastCheckpoint);
        Assert.EndsWith("This run keeps no checkpoints (it has no run folder).", e.Message);
    }

    [Fact]
    public void Only_the_configured_number_of_checkpoints_is_kept()
    {
        var run = TestData.TempDirectory();
        using (var trainer = new GanTrainer(Tiny with { Epochs = 4, KeepCheckpoints = 3 }, TestData.Blocks(16, 32), run)) trainer.Train();
        Assert.Equal(4, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
        var older = Directory.GetFiles(Path.Combine(run, "checkpoints")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "iteration-00000008.ckpt", "iteration-00000012.ckpt" }, older);
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, "checkpoints", older[0]!)).Epoch);
    }
}
