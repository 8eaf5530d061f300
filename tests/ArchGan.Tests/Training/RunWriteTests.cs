using ArchGan.IO;
using ArchGan.Training;

namespace ArchGan.Tests.Training;

/// <summary>
/// A file of a run that cannot be written stops training with one sentence that names the file, the reason and
/// the checkpoint that is whole on disk; the checkpoint of an epoch is written before its grid and curves, so a
/// failure to draw them never costs it. The faults are injected by putting a folder where a file goes, which
/// fails for every user (root included) on every system; FullDiskTests fills a real disk.
/// </summary>
public class RunWriteTests
{
    private static (RunWriteException Error, string Run, GanTrainer Trainer) TrainInto(string blocked)
    {
        var run = TestData.TempDirectory();
        Directory.CreateDirectory(Path.Combine(run, blocked));
        var trainer = new GanTrainer(TrainerTests.Tiny, TestData.Blocks(8, 32), run);
        var error = Assert.Throws<RunWriteException>(() => trainer.Train());
        return (error, run, trainer);
    }

    private static void AssertNoTemporaryFiles(string run) =>
        Assert.Empty(Directory.GetFiles(run, "*.tmp", SearchOption.AllDirectories));

    [Fact]
    public void A_curve_that_cannot_be_written_costs_no_checkpoint()
    {
        var (error, run, trainer) = TrainInto("losses.html");
        using (trainer)
        {
            Assert.Equal(Path.Combine(run, "losses.html"), error.File);
            Assert.Equal(trainer.CheckpointPath, error.LastCheckpoint);
            Assert.Equal(1, Checkpoint.ReadInfo(trainer.CheckpointPath!).Epoch);
            Assert.Contains($"The last checkpoint, {trainer.CheckpointPath}, is whole", error.Message);
            AssertNoTemporaryFiles(run);
        }
    }

    [Fact]
    public void A_grid_that_cannot_be_written_costs_no_checkpoint()
    {
        var (error, run, trainer) = TrainInto(Path.Combine("samples", "epoch-0001.png"));
        using (trainer)
        {
            Assert.Equal(Path.Combine(run, "samples", "epoch-0001.png"), error.File);
            Assert.Equal(trainer.CheckpointPath, error.LastCheckpoint);
            Assert.Equal(1, Checkpoint.ReadInfo(trainer.CheckpointPath!).Epoch);
            AssertNoTemporaryFiles(run);
        }
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_says_none_was_written()
    {
        var (error, run, trainer) = TrainInto(Checkpoint.FileName);
        using (trainer)
        {
            Assert.Equal(trainer.CheckpointPath, error.File);
            Assert.Null(error.LastCheckpoint);
            Assert.EndsWith("No checkpoint was written yet.", error.Message);
            // Nothing drawn after a checkpoint that failed: the run stopped at it.
            Assert.False(File.Exists(Path.Combine(run, "samples", "epoch-0001.png")));
            AssertNoTemporaryFiles(run);
        }
    }

    [Fact]
    public void A_backup_that_cannot_be_made_leaves_the_checkpoint_before_it()
    {
        var run = TestData.TempDirectory();
        using (var first = new GanTrainer(TrainerTests.Tiny with { Epochs = 1, KeepCheckpoints = 3 }, TestData.Blocks(8, 32), run))
            first.Train();
        // A file where the backups' folder goes: moving the first checkpoint aside fails.
        File.WriteAllText(Path.Combine(run, "checkpoints"), "");
        var checkpoint = Path.Combine(run, Checkpoint.FileName);
        using var trainer = GanTrainer.Resume(checkpoint, TestData.Blocks(8, 32), run, epochs: 2);
        var error = Assert.Throws<RunWriteException>(() => trainer.Train());
        Assert.Equal(checkpoint, error.File);
        Assert.Equal(checkpoint, error.LastCheckpoint);
        Assert.Equal(1, Checkpoint.ReadInfo(checkpoint).Epoch);
        AssertNoTemporaryFiles(run);
    }

    [Fact]
    public void The_message_is_one_sentence_for_an_error_line_or_a_cell()
    {
        var (error, _, trainer) = TrainInto("losses.html");
        trainer.Dispose();
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith($"Could not write {error.File}: ", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.IsType<FileWriteException>(error.InnerException);
    }

    [Fact]
    public void A_failed_write_names_the_file_meant_not_the_temporary_one()
    {
        var folder = TestData.TempDirectory();
        var target = Path.Combine(folder, "grid.png");
        Directory.CreateDirectory(target);
        var error = Assert.Throws<FileWriteException>(() => AtomicFile.WriteAllBytes(target, [1, 2, 3]));
        Assert.Equal(target, error.Path);
        Assert.StartsWith($"Could not write {target}: ", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void The_reason_drops_the_path_that_dotnet_appends()
    {
        var reason = FileWriteException.ReasonOf(new IOException("No space left on device : '/runs/a/.losses.html.12.1.tmp'"));
        Assert.Equal("No space left on device", reason);
        Assert.Equal("Disk quota exceeded", FileWriteException.ReasonOf(new IOException("Disk quota exceeded.")));
    }
}
