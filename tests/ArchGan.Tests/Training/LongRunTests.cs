using System.Diagnostics;
using ArchGan.Tests.Cli;
using ArchGan.Training;
using Xunit.Abstractions;

namespace ArchGan.Tests.Training;

/// <summary>
/// The quick preset trained for 5,056 iterations twice in separate archgan processes: once straight, once
/// killed (SIGKILL, no chance to save) at random points and resumed each time from its last checkpoint. The
/// final weights must be identical, every checkpoint readable after every kill, and memory flat. About half
/// an hour on 2 cores, so it runs only when ARCHGAN_LONG_RUN=1:
/// <c>ARCHGAN_LONG_RUN=1 dotnet test --filter FullyQualifiedName~LongRunTests</c>.
/// </summary>
[Trait("Category", "Slow")]
public class LongRunTests(ITestOutputHelper output)
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");

    // 79 epochs of 64 batches = 5,056 iterations; a checkpoint every 8 epochs = every 512 iterations.
    private static readonly string[] Recipe = { "--preset", "quick", "--epochs", "79", "--checkpoint-every", "8", "--threads", "1" };

    [LongRunFact]
    public async Task Killed_and_resumed_runs_end_with_the_weights_of_an_uninterrupted_one()
    {
        var root = TestData.TempDirectory();
        // The straight run prints its memory right after each checkpoint, once the trainer has collected the
        // .NET heap and handed the C heap's free pages back: the resident size, and what is live in it.
        var afterCheckpoints = new List<long>();
        var live = new List<(long C, long Net)>(); // C heap blocks in use (libtorch's tensors), .NET heap
        var straight = Start(root, new[] { "train", "--runs", root, "--name", "straight" }.Concat(Recipe), line =>
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"checkpoint saved  resident (\d+) MB  \(C heap in use (\d+) MB, \.NET heap (\d+) MB\)");
            if (match.Success)
                lock (afterCheckpoints)
                {
                    afterCheckpoints.Add(long.Parse(match.Groups[1].Value));
                    live.Add((long.Parse(match.Groups[2].Value), long.Parse(match.Groups[3].Value)));
                }
        });
        var straightWatch = Watch(straight, Path.Combine(root, "straight", Checkpoint.FileName)); // sampled from the start
        var killed = Path.Combine(root, "killed");
        var process = Start(root, new[] { "train", "--runs", root, "--name", "killed" }.Concat(Recipe));

        var random = new Random();
        long resumedFrom = 0;
        for (int kill = 1; kill <= 3; kill++)
        {
            // Each kill comes after a checkpoint newer than the one the process resumed from, so the kills
            // spread over the run instead of all falling back to the first checkpoint.
            while (!File.Exists(Path.Combine(killed, Checkpoint.FileName))
                   || Checkpoint.ReadInfo(Path.Combine(killed, Checkpoint.FileName)).Iteration <= resumedFrom)
                await Task.Delay(1000);
            var wait = TimeSpan.FromSeconds(random.Next(20, 240));
            await Task.Delay(wait);
            if (process.HasExited) break;
            process.Kill();
            await process.WaitForExitAsync();
            var info = AssertAllCheckpointsReadable(killed);
            output.WriteLine($"kill {kill}: {wait.TotalSeconds:F0} s after a new checkpoint; resuming from iteration {info.Iteration}");
            resumedFrom = info.Iteration;
            process = Start(root, new[] { "train", "--resume", killed, "--threads", "1" });
        }

        var straightCode = await straightWatch;
        var killedCode = await Watch(process, Path.Combine(killed, Checkpoint.FileName));
        Assert.Equal(0, straightCode);
        Assert.Equal(0, killedCode);
        output.WriteLine($"uninterrupted run, right after each checkpoint, as it printed them: resident {string.Join(", ", afterCheckpoints)} MB; "
            + $"C heap in use {string.Join(", ", live.Select(l => l.C))} MB; .NET heap {string.Join(", ", live.Select(l => l.Net))} MB");

        var a = Path.Combine(root, "straight", Checkpoint.FileName);
        var b = Path.Combine(killed, Checkpoint.FileName);
        Assert.Equal(5056, Checkpoint.ReadInfo(a).Iteration);
        Assert.Equal(5056, Checkpoint.ReadInfo(b).Iteration);
        foreach (var entry in new[] { "generator.bin", "discriminator.bin", "generator-ema.bin", "optimizer-g.bin", "optimizer-d.bin", "history.bin" })
            Assert.True(InProcessCli.CheckpointEntry(a, entry).SequenceEqual(InProcessCli.CheckpointEntry(b, entry)), $"{entry} differs between the two runs");
        // Last, so that a memory failure does not hide whether the weights matched. A leak is memory that stays
        // live: tensors nobody frees keep C heap blocks in use, objects still referenced keep the .NET heap
        // full. Over the 10 checkpoints, 4,600 iterations apart from first to last, live memory must stay
        // within a 50 MB band, which a leak of 11 KB per iteration breaks. The resident size is printed but
        // not asserted here: two runs of this test saw it move by 50 and 58 MB, the second while the live
        // heaps stayed within 15 MB, so what moved was memory glibc keeps for itself after a trim, which this
        // code does not control. MemoryTests asserts resident growth over 2,000 iterations, the speed issue's
        // target.
        Assert.True(live.Count == 10, $"expected the live heaps after each of the 10 checkpoints, got {live.Count} (glibc's mallinfo2 is needed)");
        var totals = live.Select(l => l.C + l.Net).ToList();
        Assert.True(totals.Max() - totals.Min() < 50, $"live memory after the checkpoints ranged from {totals.Min()} to {totals.Max()} MB: {string.Join(", ", totals)}");
    }

    private static Process Start(string directory, IEnumerable<string> args, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Waits for the process, sampling its resident memory from outside every 2 s; returns the exit code. The
    // samples taken after a new checkpoint appeared come up to 2 s late, after some iterations have run again,
    // so they are only printed. Between checkpoints glibc keeps the pages that each iteration's
    // tensors freed and the resident size rises by tens of megabytes, to fall back at the next checkpoint.
    private async Task<int> Watch(Process process, string checkpoint)
    {
        var afterCheckpoints = new List<(double Minutes, long Bytes)>();
        var samples = new List<(double Minutes, long Bytes)>();
        var clock = Stopwatch.StartNew();
        var seen = File.Exists(checkpoint) ? File.GetLastWriteTimeUtc(checkpoint) : DateTime.MinValue;
        while (!process.HasExited)
        {
            var rss = ResidentBytes(process.Id);
            var written = File.Exists(checkpoint) ? File.GetLastWriteTimeUtc(checkpoint) : DateTime.MinValue;
            if (rss > 0 && written > seen)
            {
                seen = written;
                afterCheckpoints.Add((clock.Elapsed.TotalMinutes, rss));
            }
            if (rss > 0 && afterCheckpoints.Count > 0) samples.Add((clock.Elapsed.TotalMinutes, rss));
            await Task.Delay(2000);
        }
        await process.WaitForExitAsync();
        output.WriteLine($"ran {clock.Elapsed.TotalMinutes:F1} min; resident memory just after each checkpoint: "
            + string.Join(", ", afterCheckpoints.Select(a => $"{a.Bytes >> 20} MB")));
        if (samples.Count > 0)
            output.WriteLine($"between checkpoints: {samples.Min(x => x.Bytes) >> 20} to {samples.Max(x => x.Bytes) >> 20} MB; every 5 minutes:");
        foreach (var group in samples.GroupBy(sample => (int)(sample.Minutes / 5)))
            output.WriteLine($"  minutes {group.Key * 5}-{group.Key * 5 + 5}: {group.Min(x => x.Bytes) >> 20}-{group.Max(x => x.Bytes) >> 20} MB");
        return process.ExitCode;
    }

    private static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:"));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { return 0; }
    }

    private static CheckpointInfo AssertAllCheckpointsReadable(string run)
    {
        var files = Directory.GetFiles(run, "*.ckpt", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Checkpoint.ReadInfo(file);
            var (generator, _) = Checkpoint.LoadGenerator(file);
            generator.Dispose();
        }
        return Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName));
    }
}

/// <summary>Runs only when ARCHGAN_LONG_RUN=1: the test takes about half an hour.</summary>
internal sealed class LongRunFactAttribute : FactAttribute
{
    public LongRunFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ARCHGAN_LONG_RUN") != "1") Skip = "set ARCHGAN_LONG_RUN=1 to run the half-hour kill-and-resume test";
    }
}
