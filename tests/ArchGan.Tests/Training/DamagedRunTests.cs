using ArchGan.Training;

namespace ArchGan.Tests.Training;

/// <summary>Resuming a run folder whose checkpoint is damaged: the newest whole backup stands in, and says so.</summary>
public class DamagedRunTests
{
    // 8 images in batches of 4: 2 iterations per epoch; after 3 epochs, checkpoint.ckpt at iteration 6 and
    // backups at iterations 4 and 2.
    private static string Trained()
    {
        var runs = TestData.TempDirectory();
        var run = TrainingRun.Start(TrainerTests.Tiny with { Epochs = 3, KeepCheckpoints = 3 }, new DataSource(null, 8, 0), runs, "r");
        using (var trainer = run.Open(TestData.Blocks(8, 32))) trainer.Train();
        return run.Directory;
    }

    [Fact]
    public void A_damaged_checkpoint_is_passed_over_for_the_newest_whole_backup_which_is_said_and_kept_aside()
    {
        var run = Trained();
        var current = Path.Combine(run, Checkpoint.FileName);
        CheckpointDamageTests.Flip(current, "discriminator.bin");

        var resuming = TrainingRun.Resume(run, epochs: 4);
        var backup = Path.Combine(run, "checkpoints", "iteration-00000004.ckpt");
        Assert.Equal(backup, resuming.Resumed!.Path);
        Assert.Contains($"{Checkpoint.FileName} is damaged (discriminator.bin failed its check)", resuming.FallBack);
        Assert.Contains("Resuming from the newest whole backup", resuming.FallBack);
        Assert.Contains("iteration-00000004.ckpt (iteration 4)", resuming.FallBack);

        using (var trainer = resuming.Open(TestData.Blocks(8, 32)))
        {
            Assert.Equal(2, trainer.Epoch);
            // Set aside at once: the next save does not rotate it in among the backups.
            Assert.True(File.Exists(current + ".damaged"));
            Assert.False(File.Exists(current));
            Assert.Equal(TrainingOutcome.Completed, trainer.Train());
        }
        Assert.Equal(4, Checkpoint.Verify(current).Epoch);
        foreach (var kept in Directory.GetFiles(Path.Combine(run, "checkpoints"), "*.ckpt"))
            Checkpoint.Verify(kept);
        Assert.Null(TrainingRun.Resume(run, epochs: 5).FallBack);
    }

    [Fact]
    public void With_every_checkpoint_damaged_resuming_is_one_clear_error_naming_the_checkpoint()
    {
        var run = Trained();
        var current = Path.Combine(run, Checkpoint.FileName);
        foreach (var file in Directory.GetFiles(Path.Combine(run, "checkpoints")).Append(current))
            CheckpointDamageTests.Flip(file, "history.bin", into: 3);
        var e = Assert.Throws<CheckpointException>(() => TrainingRun.Resume(run, epochs: 4));
        Assert.Equal(current, e.Path);
        Assert.Contains("history.bin", e.Message);
        Assert.Contains("No backup of the run is whole either", e.Message);
        // Nothing was renamed: a refusal leaves the run as it was.
        Assert.True(File.Exists(current));
    }

    [Fact]
    public void A_damaged_checkpoint_named_as_a_file_is_refused_not_replaced()
    {
        var run = Trained();
        var current = Path.Combine(run, Checkpoint.FileName);
        CheckpointDamageTests.Flip(current);
        var e = Assert.Throws<CheckpointException>(() => TrainingRun.Resume(current, epochs: 4));
        Assert.Contains("damaged: generator.bin", e.Message);
    }

    [Fact]
    public void A_checkpoint_from_a_newer_ArchGan_is_not_taken_for_damage()
    {
        var run = Trained();
        var current = Path.Combine(run, Checkpoint.FileName);
        // A whole file that this version cannot resume: an older backup is no answer, and nothing is renamed.
        CheckpointDamageTests.RemoveChecksums(current);
        using (var zip = System.IO.Compression.ZipFile.Open(current, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("meta.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("meta.json").Open());
            writer.Write(text.Replace("\"FormatVersion\":2", "\"FormatVersion\":99"));
        }
        var e = Assert.Throws<CheckpointException>(() => TrainingRun.Resume(run, epochs: 4));
        Assert.False(e.Damaged);
        Assert.Contains("newer ArchGan", e.Message);
        Assert.True(File.Exists(current));
    }
}
