using System.Diagnostics;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>
/// Two processes on one run, as two shells would do it: the second trainer is refused with the first's process
/// id, reading the run stays allowed, and once the first is killed (no chance to clean up) the run resumes.
/// </summary>
public class RunLockProcessTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");

    private static Process Start(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static (int Code, string Output) Run(string directory, params string[] args)
    {
        using var process = Start(directory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "archgan did not finish");
        return (process.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void A_second_process_is_refused_with_the_first_ones_id_and_a_killed_holder_blocks_nothing()
    {
        var root = TestData.TempDirectory();
        var run = Path.Combine(root, "shared");
        // Long enough to be training throughout: it is killed below.
        using var first = Start(root, "train", "--runs", root, "--name", "shared", "--epochs", "10000", "--image-size", "32", "--width", "0.125",
            "--batch-size", "8", "--facades", "64", "--sample-count", "4", "--sample-every", "1000000", "--checkpoint-every", "1",
            "--keep-checkpoints", "1", "--threads", "1");
        _ = first.StandardOutput.ReadToEndAsync();
        _ = first.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(run, Checkpoint.FileName)))
            {
                Assert.False(first.HasExited, "the first run ended before its first checkpoint");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "no checkpoint after 3 minutes");
                Thread.Sleep(200);
            }

            var (code, output) = Run(root, "train", "--resume", run, "--epochs", "20000", "--threads", "1");
            Assert.True(code == 1, $"exit {code}: {output}");
            Assert.Contains($"error: The run folder {run} is in use: process {first.Id} has a trainer on it", output);
            (code, output) = Run(root, "train", "--runs", root, "--name", "shared", "--overwrite", "--epochs", "1", "--image-size", "32", "--width", "0.125", "--facades", "8", "--batch-size", "8", "--threads", "1");
            Assert.True(code == 1, $"exit {code}: {output}");
            Assert.Contains($"process {first.Id}", output);

            // Reading takes no lock.
            (code, output) = Run(root, "sample", "--checkpoint", run, "--count", "2", "--out", Path.Combine(root, "grid"));
            Assert.True(code == 0, $"exit {code}: {output}");
            Assert.False(first.HasExited, "the first run stopped while the others were refused");
        }
        finally
        {
            // SIGKILL: the process gets no chance to release anything; the operating system drops its lock.
            first.Kill();
            first.WaitForExit();
        }

        var epochs = Checkpoint.ReadInfo(Checkpoint.InRun(run)!).Epoch;
        var (resumeCode, resumeOutput) = Run(root, "train", "--resume", run, "--epochs", $"{epochs + 1}", "--threads", "1");
        Assert.True(resumeCode == 0, $"exit {resumeCode}: {resumeOutput}");
        Assert.Equal(epochs + 1, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
    }
}
