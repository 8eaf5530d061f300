using System.Diagnostics;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>A real archgan process, stopped the way a user or a scheduler stops it.</summary>
public class InterruptTests
{
    [Fact]
    public async Task Sigterm_saves_a_checkpoint_and_exits_with_130()
    {
        var runs = TestData.TempDirectory();
        var cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = runs,
        };
        foreach (var arg in new[] { cli, "train", "--runs", runs, "--name", "t", "--image-size", "32", "--width", "0.125",
                     "--batch-size", "8", "--facades", "32", "--epochs", "10000", "--checkpoint-every", "100000" })
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var firstEpoch = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.StartsWith("epoch ") == true) firstEpoch.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Task.WhenAny(firstEpoch.Task, Task.Delay(TimeSpan.FromSeconds(120)));
        Assert.True(started == firstEpoch.Task, $"training did not start:\n{output}");
        using (var kill = Process.Start("kill", new[] { "-TERM", process.Id.ToString() })!) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the process did not stop after SIGTERM");
        process.WaitForExit();

        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}:\n{output}");
        Assert.Contains("--resume", output.ToString());
        // No epoch-interval checkpoint was due (every 100,000 epochs): this one was written by the interruption.
        var info = Checkpoint.ReadInfo(Path.Combine(runs, "t", Checkpoint.FileName));
        Assert.True(info.Iteration >= 1, $"checkpoint at iteration {info.Iteration}");
        Assert.Empty(Directory.GetFiles(runs, "*.tmp", SearchOption.AllDirectories));
    }
}
