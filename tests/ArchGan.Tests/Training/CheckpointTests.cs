using ArchGan.Training;
using TorchSharp;

namespace ArchGan.Tests.Training;

public class CheckpointTests
{
    private static readonly Hyperparameters Tiny = TrainerTests.Tiny;

    private static void AssertSameParameters(torch.nn.Module expected, torch.nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        foreach (var (name, tensor) in a)
            Assert.True(torch.allclose(tensor.to(torch.float64), b[name].to(torch.float64), rtol: 1e-5, atol: 1e-7), $"{name} differs");
    }

    [Fact]
    public void Round_trip_keeps_weights_history_position_and_hyperparameters()
    {
        var path = Path.Combine(TestData.TempDirectory(), "a.ckpt");
        var data = TestData.Blocks(16, 32);
        using var trainer = new GanTrainer(Tiny with { Epochs = 1 }, data);
        trainer.Train();
        trainer.Save(path);

        using var resumed = GanTrainer.Resume(path, data);
        AssertSameParameters(trainer.Generator, resumed.Generator);
        AssertSameParameters(trainer.Discriminator, resumed.Discriminator);
        Assert.Equal(trainer.History.Steps, resumed.History.Steps);
        Assert.Equal(trainer.History.EpochEnds, resumed.History.EpochEnds);
        Assert.Equal(1, resumed.Epoch);
        Assert.Equal(Tiny with { Epochs = 1 }, resumed.Hp);
        Assert.True(trainer.FixedNoise.eq(resumed.FixedNoise).all().item<bool>());

        var (generator, hp) = Checkpoint.LoadGenerator(path);
        using (generator) AssertSameParameters(trainer.Generator, generator);
        Assert.Equal(Tiny with { Epochs = 1 }, hp);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void A_checkpoint_gives_back_its_history_and_its_fixed_noise_grid_without_a_trainer(double emaDecay)
    {
        var run = TestData.TempDirectory();
        using var trainer = new GanTrainer(Tiny with { Epochs = 1, EmaDecay = emaDecay }, TestData.Blocks(16, 32), run);
        trainer.Train();

        var history = Checkpoint.ReadHistory(trainer.CheckpointPath!);
        Assert.Equal(4, history.Count);
        Assert.Equal(trainer.History.Steps, history.Steps);
        Assert.Equal(trainer.History.EpochEnds, history.EpochEnds);

        var samples = Checkpoint.Samples(trainer.CheckpointPath!);
        Assert.Equal(Tiny.SampleCount, samples.Count);
        Assert.Equal(trainer.Samples().Pixels, samples.Pixels);
    }

    [Fact]
    public void Reading_the_history_of_a_missing_file_is_a_clear_error()
    {
        var path = Path.Combine(TestData.TempDirectory(), "none.ckpt");
        Assert.Contains("none.ckpt", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHistory(path)).Message);
        Assert.Throws<CheckpointException>(() => Checkpoint.Samples(path));
    }

    [Fact]
    public void Two_epochs_straight_equal_one_epoch_then_a_resumed_one()
    {
        var data = TestData.Blocks(16, 32);
        using var straight = new GanTrainer(Tiny with { Flip = true }, data);
        straight.Train();

        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(Tiny with { Flip = true, Epochs = 1 }, data, run)) first.Train();
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: 2);
        Assert.Equal(TrainingOutcome.Completed, resumed.Train());

        Assert.Equal(straight.History.Count, resumed.History.Count);
        AssertSameParameters(straight.Generator, resumed.Generator);
        AssertSameParameters(straight.Discriminator, resumed.Discriminator);
        Assert.Equal(straight.History.Steps[^1], resumed.History.Steps[^1]);
    }

    [Fact]
    public void A_run_cancelled_mid_epoch_and_resumed_ends_like_an_uninterrupted_one()
    {
        var data = TestData.Blocks(16, 32);
        using var straight = new GanTrainer(Tiny, data);
        straight.Train();

        var run = TestData.TempDirectory();
        using var cancel = new CancellationTokenSource();
        using (var first = new GanTrainer(Tiny, data, run))
        {
            first.Progress += p => { if (p.Iteration == 5) cancel.Cancel(); };
            Assert.Equal(TrainingOutcome.Cancelled, first.Train(cancel.Token));
        }
        using var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data);
        Assert.Equal((1, 1), (resumed.Epoch, resumed.BatchInEpoch));
        resumed.Train();
        AssertSameParameters(straight.Generator, resumed.Generator);
        AssertSameParameters(straight.Discriminator, resumed.Discriminator);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var path = Path.Combine(TestData.TempDirectory(), "nope.ckpt");
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.ReadInfo(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_clear_error_naming_the_file()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "a.ckpt");
        using (var trainer = new GanTrainer(Tiny with { Epochs = 1 }, TestData.Blocks(8, 32))) trainer.Save(path);
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(dir, "cut.ckpt");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<CheckpointException>(() => GanTrainer.Resume(cut, TestData.Blocks(8, 32)));
        Assert.Contains(cut, e.Message);
    }

    [Fact]
    public void A_foreign_file_is_a_clear_error_naming_the_file()
    {
        var path = Path.Combine(TestData.TempDirectory(), "notes.ckpt");
        File.WriteAllText(path, "these are not weights");
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.LoadGenerator(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an ArchGan checkpoint", e.Message);
    }

    [Fact]
    public void Latest_finds_the_newest_checkpoint_under_a_folder()
    {
        var root = TestData.TempDirectory();
        Assert.Null(Checkpoint.Latest(root));
        var older = Path.Combine(root, "a", Checkpoint.FileName);
        var newer = Path.Combine(root, "b", Checkpoint.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(older)!);
        Directory.CreateDirectory(Path.GetDirectoryName(newer)!);
        File.WriteAllText(older, "");
        File.WriteAllText(newer, "");
        File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddHours(-1));
        Assert.Equal(newer, Checkpoint.Latest(root));
    }

    [Fact]
    public void Resuming_on_images_of_another_size_says_so()
    {
        var path = Path.Combine(TestData.TempDirectory(), "a.ckpt");
        using (var trainer = new GanTrainer(Tiny with { Epochs = 1 }, TestData.Blocks(8, 32))) trainer.Save(path);
        var e = Assert.Throws<HyperparameterException>(() => GanTrainer.Resume(path, TestData.Blocks(8, 64)));
        Assert.Equal("ImageSize", e.Field);
        Assert.Contains("64", e.Message);
    }

    [Fact]
    public void A_save_that_fails_halfway_leaves_the_previous_checkpoint_where_it_was()
    {
        var run = TestData.TempDirectory();
        using var trainer = new GanTrainer(Tiny with { Epochs = 1, KeepCheckpoints = 3 }, TestData.Blocks(8, 32), run);
        trainer.Train();
        var path = Path.Combine(run, Checkpoint.FileName);
        var before = File.ReadAllBytes(path);

        // A state that cannot be written to the end: its fixed noise is gone, as if the process died mid-file.
        using var optimizerG = torch.optim.Adam(trainer.Generator.parameters());
        using var optimizerD = torch.optim.Adam(trainer.Discriminator.parameters());
        using var random = new torch.Generator(1);
        var gone = torch.zeros(1);
        gone.Dispose();
        var state = new CheckpointState(trainer.Hp, trainer.Generator, null, trainer.Discriminator, optimizerG, optimizerD,
            random, gone, trainer.History, 2, 0, default, 1);
        Assert.ThrowsAny<Exception>(() => Checkpoint.Save(path, state, keep: 3));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints")), "the old checkpoint was moved aside before the new one was whole");
        Assert.Empty(Directory.GetFiles(run, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_run_without_its_checkpoint_file_resumes_from_its_newest_backup()
    {
        var run = TestData.TempDirectory();
        using (var trainer = new GanTrainer(Tiny with { Epochs = 3, KeepCheckpoints = 3 }, TestData.Blocks(8, 32), run)) trainer.Train();
        Assert.Equal(Path.Combine(run, Checkpoint.FileName), Checkpoint.InRun(run));

        // What a process killed between the two renames of a save leaves: the backups, and no checkpoint.ckpt.
        File.Delete(Path.Combine(run, Checkpoint.FileName));
        var newest = Checkpoint.InRun(run);
        Assert.Equal(Path.Combine(run, "checkpoints", "iteration-00000004.ckpt"), newest);
        Assert.Equal(2, Checkpoint.ReadInfo(newest!).Epoch);
        Assert.Equal(run, Checkpoint.RunDirectoryOf(newest!));
        Assert.Equal(run, Checkpoint.RunDirectoryOf(Path.Combine(run, Checkpoint.FileName)));
        Assert.Null(Checkpoint.InRun(TestData.TempDirectory()));
    }

    [Fact]
    public void The_backups_kept_are_the_most_recently_written_whatever_their_iteration()
    {
        var run = TestData.TempDirectory();
        var path = Path.Combine(run, Checkpoint.FileName);
        using var trainer = new GanTrainer(Tiny with { Epochs = 1 }, TestData.Blocks(8, 32), run);
        trainer.Train();
        // A backup left from another line of training (a run resumed from an earlier checkpoint), with a higher number.
        var stale = Path.Combine(run, "checkpoints", "iteration-00000100.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.Copy(path, stale);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

        using var optimizerG = torch.optim.Adam(trainer.Generator.parameters());
        using var optimizerD = torch.optim.Adam(trainer.Discriminator.parameters());
        using var random = new torch.Generator(1);
        var state = new CheckpointState(trainer.Hp, trainer.Generator, null, trainer.Discriminator, optimizerG, optimizerD,
            random, trainer.FixedNoise, trainer.History, 1, 0, default, 1);
        Checkpoint.Save(path, state, keep: 2);

        Assert.Equal(new[] { "iteration-00000002.ckpt" }, Directory.GetFiles(Path.Combine(run, "checkpoints")).Select(Path.GetFileName));
    }

    [Fact]
    public void Resuming_mid_epoch_on_fewer_images_than_its_position_needs_says_so()
    {
        var run = TestData.TempDirectory();
        using var cancel = new CancellationTokenSource();
        using (var first = new GanTrainer(Tiny, TestData.Blocks(16, 32), run)) // 4 batches per epoch
        {
            first.Progress += p => { if (p.Iteration == 3) cancel.Cancel(); };
            Assert.Equal(TrainingOutcome.Cancelled, first.Train(cancel.Token));
        }
        var path = Path.Combine(run, Checkpoint.FileName);
        var e = Assert.Throws<CheckpointException>(() => GanTrainer.Resume(path, TestData.Blocks(8, 32)));
        Assert.Contains(path, e.Message);
        Assert.Contains("after batch 3 of epoch 1", e.Message);
        Assert.Contains("only 2 batches per epoch", e.Message);
    }
}
