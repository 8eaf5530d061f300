using System.Text.Json;
using ArchGan.Training;

namespace ArchGan.Tests.Training;

/// <summary>
/// A run folder's life through <see cref="TrainingRun"/>, as the command line and the notebooks use it: start,
/// refuse, overwrite, resume with only the epochs changing, the data record and its check, finding a checkpoint.
/// </summary>
public class TrainingRunTests
{
    // 8 images in batches of 4: 2 iterations per epoch, a checkpoint after each epoch.
    private static readonly Hyperparameters OneEpoch = TrainerTests.Tiny with { Epochs = 1 };
    private static readonly DataSource Facades8 = new(null, 8, 0);

    // A finished run of one epoch on 8 blocks in runs/<name>; returns its folder.
    private static string Trained(string runs, string name = "r", Hyperparameters? hp = null, DataSource? source = null)
    {
        var run = TrainingRun.Start(hp ?? OneEpoch, source ?? Facades8, runs, name);
        using var trainer = run.Open(TestData.Blocks(8, 32));
        Assert.Equal(TrainingOutcome.Completed, trainer.Train());
        return run.Directory;
    }

    [Fact]
    public void Starting_writes_nothing_until_open_then_records_the_images_beside_the_run()
    {
        var runs = TestData.TempDirectory();
        var run = TrainingRun.Start(OneEpoch, Facades8, runs, "a");
        Assert.Equal(Path.Combine(runs, "a"), run.Directory);
        Assert.False(Directory.Exists(run.Directory));

        var images = TestData.Blocks(8, 32);
        using var trainer = run.Open(images);
        var saved = TrainingRun.ReadSource(run.Directory)!;
        Assert.Equal(8, saved.Images);
        Assert.Equal(images.Fingerprint(), saved.Fingerprint);
        Assert.Equal(TorchSharp.torch.get_num_threads(), saved.Threads);
        Assert.Equal(saved, run.Source);
        Assert.Null(run.DataChange);
    }

    [Fact]
    public void A_bad_recipe_is_refused_before_the_folder_is_looked_at()
    {
        var runs = TestData.TempDirectory();
        var e = Assert.Throws<HyperparameterException>(() => TrainingRun.Start(OneEpoch with { BatchSize = 0 }, Facades8, runs, "a"));
        Assert.Equal(nameof(Hyperparameters.BatchSize), e.Field);
        Assert.Empty(Directory.GetFileSystemEntries(runs));
    }

    [Fact]
    public void Starting_over_a_checkpoint_is_refused_naming_the_way_to_resume()
    {
        var runs = TestData.TempDirectory();
        var folder = Trained(runs);
        var e = Assert.Throws<HyperparameterException>(() => TrainingRun.Start(OneEpoch, Facades8, runs, "r"));
        Assert.Equal("--name", e.Field);
        Assert.Contains("already holds a checkpoint", e.Message);
        Assert.Contains("--resume", e.Message);
        Assert.Contains("--overwrite", e.Message);
        Assert.True(File.Exists(Path.Combine(folder, Checkpoint.FileName)));
    }

    [Fact]
    public void Overwriting_clears_the_old_runs_files_only_once_the_images_are_accepted_and_keeps_the_rest()
    {
        var runs = TestData.TempDirectory();
        var folder = Trained(runs, hp: OneEpoch with { Epochs = 2 });
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        Assert.True(Directory.Exists(Path.Combine(folder, "checkpoints")));

        // Images of the wrong size: refused by the trainer, and the old run stays whole.
        var run = TrainingRun.Start(OneEpoch, Facades8, runs, "r", overwrite: true);
        Assert.Throws<HyperparameterException>(() => run.Open(TestData.Blocks(8, 16)));
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(folder, Checkpoint.FileName)).Epoch);
        Assert.True(File.Exists(Path.Combine(folder, "samples", "epoch-0002.png")));

        run = TrainingRun.Start(OneEpoch, Facades8, runs, "r", overwrite: true);
        using (run.Open(TestData.Blocks(8, 32)))
        {
            Assert.False(File.Exists(Path.Combine(folder, Checkpoint.FileName)));
            Assert.False(Directory.Exists(Path.Combine(folder, "checkpoints")));
            Assert.False(Directory.Exists(Path.Combine(folder, "samples")));
            Assert.False(File.Exists(Path.Combine(folder, "hyperparameters.json")));
            Assert.True(File.Exists(Path.Combine(folder, TrainingRun.DataFileName)), "the new run's data.json");
            Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        }
    }

    [Fact]
    public void Resuming_may_raise_the_epochs_and_nothing_else()
    {
        var folder = Trained(TestData.TempDirectory());

        var e = Assert.Throws<HyperparameterException>(() => TrainingRun.Resume(folder, [("ImageSize", "64"), ("Epochs", "3")]));
        Assert.Equal("--image-size", e.Field);
        Assert.Contains("only --epochs may be raised", e.Message);
        // Named as an option, in any case, the field is still the same one.
        e = Assert.Throws<HyperparameterException>(() => TrainingRun.Resume(folder, [("--learning-rate-d", "1e-3")]));
        Assert.Equal("--learning-rate-d", e.Field);
        e = Assert.Throws<HyperparameterException>(() => TrainingRun.Resume(folder, [("epochs", "three")]));
        Assert.Contains("an integer", e.Message);

        foreach (int? epochs in new int?[] { null, 1 })
        {
            e = Assert.Throws<HyperparameterException>(() => TrainingRun.Resume(folder, epochs));
            Assert.Equal("--epochs", e.Field);
            Assert.Contains("more than the 1 epochs", e.Message);
        }

        var run = TrainingRun.Resume(folder, [("epochs", "3")]);
        Assert.Equal(OneEpoch with { Epochs = 3 }, run.Hyperparameters);
        Assert.Equal(folder, run.Directory);
        Assert.Equal(Path.Combine(folder, Checkpoint.FileName), run.Resumed!.Path);
        Assert.Equal(TrainingRun.ReadSource(folder), run.Source);
    }

    [Fact]
    public void Resumed_from_a_backup_the_run_is_the_folder_above_and_goes_on_from_the_backup()
    {
        var folder = Trained(TestData.TempDirectory(), hp: OneEpoch with { Epochs = 2 });
        var backup = Assert.Single(Directory.GetFiles(Path.Combine(folder, "checkpoints")));
        var run = TrainingRun.Resume(backup, epochs: 2);
        Assert.Equal(folder, run.Directory);
        Assert.Equal(1, run.Resumed!.Epoch);
        using var trainer = run.Open(TestData.Blocks(8, 32));
        Assert.Equal(2, trainer.Iteration);
    }

    [Fact]
    public void Resuming_says_when_the_images_are_not_those_the_run_was_trained_on()
    {
        var folder = Trained(TestData.TempDirectory());

        var run = TrainingRun.Resume(folder, epochs: 2);
        using (run.Open(TestData.Blocks(8, 32))) Assert.Null(run.DataChange);

        run = TrainingRun.Resume(folder, epochs: 2);
        using (run.Open(TestData.Blocks(8, 32, seed: 1)))
            Assert.Contains("as many images as the run was trained on, but not the same ones", run.DataChange);

        // data.json now records the images last trained on.
        run = TrainingRun.Resume(folder, epochs: 2);
        using (run.Open(TestData.Blocks(12, 32, seed: 1)))
            Assert.Equal("the run was trained on 8 images and the data now gives 12", run.DataChange);
        Assert.Equal(12, TrainingRun.ReadSource(folder)!.Images);
    }

    [Fact]
    public void A_folder_given_on_resuming_replaces_the_saved_one_and_a_run_without_a_record_takes_the_hosts()
    {
        var root = TestData.TempDirectory();
        var old = Path.Combine(root, "old-photos");
        var folder = Trained(Path.Combine(root, "runs"), source: new DataSource(old, 0, 0));
        Assert.Equal(old, JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TrainingRun.DataFileName))).RootElement.GetProperty("Folder").GetString());

        Assert.Equal(old, TrainingRun.Resume(folder, epochs: 2).Source.Folder);
        var moved = Path.Combine(root, "moved");
        Assert.Equal(new DataSource(moved, 0, 0, TorchSharp.torch.get_num_threads(), 8, TestData.Blocks(8, 32).Fingerprint()),
            TrainingRun.Resume(folder, epochs: 2, dataFolder: moved).Source);

        File.Delete(Path.Combine(folder, TrainingRun.DataFileName));
        Assert.Equal(new DataSource(null, 2048, 0), TrainingRun.Resume(folder, epochs: 2).Source);
        Assert.Equal(new DataSource(null, 99, 0), TrainingRun.Resume(folder, epochs: 2, unrecorded: new DataSource(null, 99, 0)).Source);
        Assert.Equal(new DataSource(moved, 99, 0), TrainingRun.Resume(folder, epochs: 2, dataFolder: moved, unrecorded: new DataSource(null, 99, 0)).Source);
    }

    [Fact]
    public void A_checkpoint_is_found_from_a_file_a_run_folder_its_backups_or_the_runs_folder()
    {
        var runs = TestData.TempDirectory();
        var folder = Trained(runs, hp: OneEpoch with { Epochs = 2 });
        var current = Path.Combine(folder, Checkpoint.FileName);
        var backup = Assert.Single(Directory.GetFiles(Path.Combine(folder, "checkpoints")));

        Assert.Equal(backup, TrainingRun.FindCheckpoint(backup));
        Assert.Equal(current, TrainingRun.FindCheckpoint(folder));
        Assert.Equal(current, TrainingRun.FindCheckpoint(null, runs));
        File.Delete(current);
        Assert.Equal(backup, TrainingRun.FindCheckpoint(folder));

        var empty = TestData.TempDirectory();
        Assert.Contains("holds no checkpoint.ckpt", Assert.Throws<FileNotFoundException>(() => TrainingRun.FindCheckpoint(empty)).Message);
        Assert.Contains($"No checkpoint under {empty}/", Assert.Throws<FileNotFoundException>(() => TrainingRun.FindCheckpoint(null, empty)).Message);
    }

    [Fact]
    public void The_default_name_is_the_data_then_the_preset()
    {
        Assert.Equal("facades-quick", TrainingRun.DefaultName(new DataSource(null, 10, 0), "Quick"));
        Assert.Equal("photos-improved", TrainingRun.DefaultName(new DataSource(Path.Combine("data", "photos") + Path.DirectorySeparatorChar, 10, 0), "improved"));
    }

    [Fact]
    public void Find_or_train_trains_a_short_model_once_then_reuses_it_and_prefers_notebook_07s()
    {
        var runs = TestData.TempDirectory();
        var said = new List<string>();
        var trained = TrainingRun.FindOrTrain(runs, "fallback", imageSize: 32, facades: 32, epochs: 1, said.Add);
        Assert.Equal(Path.Combine(runs, "fallback", Checkpoint.FileName), trained);
        Assert.Contains(said, s => s.StartsWith("Training a short model here instead (1 epochs on 32 facades of 32 x 32)"));
        Assert.Equal((32, 1), (Checkpoint.ReadInfo(trained).Hyperparameters.ImageSize, Checkpoint.ReadInfo(trained).Epoch));
        Assert.Equal(32, TrainingRun.ReadSource(Path.Combine(runs, "fallback"))!.Facades);

        said.Clear();
        Assert.Equal(trained, TrainingRun.FindOrTrain(runs, "fallback", 32, 32, 1, said.Add));
        Assert.StartsWith("No checkpoint from notebook 07; using the short model this notebook trained earlier", Assert.Single(said));

        var tutorial = Trained(runs, TrainingRun.TutorialRunName);
        said.Clear();
        Assert.Equal(Path.Combine(tutorial, Checkpoint.FileName), TrainingRun.FindOrTrain(runs, "fallback", 32, 32, 1, said.Add));
        Assert.StartsWith("Using the model notebook 07 trained", Assert.Single(said));
    }
}
