using System.Diagnostics;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>
/// Resuming in a new process, as users do: nothing may depend on per-process state (hash salts, thread
/// timing). A short run stopped after 2 epochs and resumed by another process to 4 must end with the same
/// bytes as a 4-epoch run.
/// </summary>
public class CrossProcessResumeTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");

    private static readonly string[] Tiny =
    {
        "--image-size", "32", "--width", "0.125", "--batch-size", "8", "--facades", "32", "--sample-count", "4",
        "--checkpoint-every", "1", "--flip", "true", "--threads", "1",
    };

    private static void Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "archgan did not finish");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output.Result}{error.Result}");
    }

    [Fact]
    public void A_run_resumed_by_another_process_ends_with_the_same_bytes_as_a_straight_run()
    {
        var root = TestData.TempDirectory();
        Run(root, new[] { "train", "--runs", root, "--name", "straight", "--epochs", "4" }.Concat(Tiny).ToArray());
        Run(root, new[] { "train", "--runs", root, "--name", "split", "--epochs", "2" }.Concat(Tiny).ToArray());
        Run(root, "train", "--resume", Path.Combine(root, "split"), "--epochs", "4", "--threads", "1");

        var a = Path.Combine(root, "straight", Checkpoint.FileName);
        var b = Path.Combine(root, "split", Checkpoint.FileName);
        Assert.Equal(16, Checkpoint.ReadInfo(b).Iteration);
        foreach (var entry in new[] { "history.bin", "generator.bin", "discriminator.bin", "optimizer-g.bin", "optimizer-d.bin", "noise-random.bin" })
            Assert.True(InProcessCli.CheckpointEntry(a, entry).SequenceEqual(InProcessCli.CheckpointEntry(b, entry)), $"{entry} differs");
    }
}
