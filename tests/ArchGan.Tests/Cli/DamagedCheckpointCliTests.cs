using ArchGan.Tests.Training;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>A damaged checkpoint from the command line: one error line where it is read, a fall-back where a run resumes.</summary>
[Collection(nameof(ConsoleCapture))]
public class DamagedCheckpointCliTests
{
    private static readonly string[] Recipe =
    [
        "--image-size", "32", "--width", "0.125", "--batch-size", "8", "--sample-count", "4", "--facades", "32", "--keep-checkpoints", "3",
        "--checkpoint-every", "1", "--ema-decay", "0.9",
    ];

    private static async Task<string> Trained(int epochs)
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await InProcessCli.Run(["train", "--runs", runs, "--name", "t", "--epochs", $"{epochs}", .. Recipe]);
        Assert.True(code == 0, output);
        return Path.Combine(runs, "t");
    }

    [Fact]
    public async Task Sampling_a_damaged_checkpoint_is_one_error_line()
    {
        var run = await Trained(1);
        var checkpoint = Path.Combine(run, Checkpoint.FileName);
        // The moving average: what sample draws with.
        CheckpointDamageTests.Flip(checkpoint, "generator-ema.bin");
        var (code, output) = await InProcessCli.Run("sample", "--checkpoint", checkpoint, "--count", "2");
        Assert.Equal(1, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(checkpoint, line);
        Assert.Contains("generator-ema.bin", line);
        Assert.False(Directory.Exists(Path.Combine(run, "samples", "seed-0")), "a grid was written from a damaged checkpoint");
    }

    [Fact]
    public async Task Resuming_a_run_whose_checkpoint_is_damaged_continues_from_the_newest_whole_backup_and_says_so()
    {
        var run = await Trained(2); // checkpoint.ckpt at iteration 8, a backup at 4
        var checkpoint = Path.Combine(run, Checkpoint.FileName);
        CheckpointDamageTests.Flip(checkpoint, "optimizer-d.bin");
        var (code, output) = await InProcessCli.Run("train", "--resume", run, "--epochs", "3");
        Assert.True(code == 0, output);
        Assert.Contains("Warning:", output);
        Assert.Contains("is damaged (optimizer-d.bin failed its check)", output);
        Assert.Contains("Resuming from the newest whole backup", output);
        Assert.Contains("after iteration 4", output);
        Assert.Equal(12, Checkpoint.Verify(checkpoint).Iteration);
        Assert.True(File.Exists(checkpoint + ".damaged"));
    }
}
