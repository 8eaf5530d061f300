using ArchGan.Training;
using SkiaSharp;

namespace ArchGan.Tests.Cli;

/// <summary>
/// The real command line on a disk that really fills (a tmpfs of a chosen size, see <see cref="SizeLimitedFolder"/>):
/// at each kind of write, one <c>error:</c> line that names the file and the system's reason and, in training, the
/// last checkpoint; exit code 1; no stack trace; no temporary file left; and the checkpoint kept loads. The sizes
/// that make a given write the one that fails come from a probe run of the same recipe on an ordinary disk, so
/// they follow the files as they grow or shrink.
/// </summary>
public class FullDiskTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");
    private const int Page = 4096;

    // Enough samples to make the first epoch's grid (of a generator that has barely begun, whose images compress
    // well) some pages long, for a size to fall inside it.
    private static readonly string[] Tiny =
    {
        "--image-size", "32", "--width", "0.125", "--batch-size", "8", "--facades", "32", "--sample-count", "256",
        "--checkpoint-every", "1", "--keep-checkpoints", "3", "--epochs", "2", "--threads", "1",
    };

    /// <summary>What a tmpfs holds of each file of the probe run: whole pages.</summary>
    private sealed record Sizes(long Small, long Checkpoint, long Grid, long Losses, string RunFolder);

    private static readonly Lazy<Sizes> Probe = new(() =>
    {
        var root = TestData.TempDirectory();
        var (exitCode, output) = RunCli(root, ["train", "--runs", root, "--name", "probe", .. Tiny]);
        Assert.True(exitCode == 0, $"the probe run failed: {output}");
        var run = Path.Combine(root, "probe");
        long Pages(string path) => (new FileInfo(path).Length + Page - 1) / Page * Page;
        // hyperparameters.json, data.json and whatever else the run keeps beside them, and a page to spare (folders
        // take none on a tmpfs).
        var small = Directory.GetFiles(run).Where(f => Path.GetFileName(f) is not (Checkpoint.FileName or "losses.html")).Sum(Pages) + Page;
        var sizes = new Sizes(small, Pages(Path.Combine(run, Checkpoint.FileName)), Pages(Path.Combine(run, "samples", "epoch-0001.png")),
            Pages(Path.Combine(run, "losses.html")), run);
        Assert.True(sizes.Grid >= 8 * Page, $"the probe's grid is too small ({sizes.Grid} bytes) to aim a disk size between it and the checkpoint");
        return sizes;
    });

    private static (int ExitCode, string Output) RunCli(string directory, string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "archgan did not finish");
        return (process.ExitCode, output.Result + error.Result);
    }

    // Trains on a tmpfs of `bytes` (the run folder is runs/full on it); returns the result, the run folder as the
    // CLI saw it, and the copy taken before the tmpfs went.
    private static (SizeLimitedFolder.Result Result, string Run, string Copy) TrainOnDisk(long bytes)
    {
        var root = TestData.TempDirectory();
        var disk = Path.Combine(root, "disk");
        var copy = Path.Combine(root, "copy");
        var result = SizeLimitedFolder.Run(disk, (int)(bytes / 1024), copy, root, ["dotnet", Cli, "train", "--runs", disk, "--name", "full", .. Tiny]);
        return (result, Path.Combine(disk, "full"), Path.Combine(copy, "full"));
    }

    // One error line, naming the file and the reason, and the checkpoint or that there is none; nothing else of
    // an exception; no temporary file in what the disk held.
    private static string AssertOneError(SizeLimitedFolder.Result result, string file, string copy, string reason = "No space left on device")
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Output}");
        var error = Assert.Single(result.Lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(file, error);
        Assert.Contains(reason, error);
        Assert.DoesNotContain(result.Output.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", result.Output);
        Assert.Empty(Directory.GetFiles(copy, "*.tmp", SearchOption.AllDirectories));
        return error;
    }

    private static void AssertLoads(string checkpoint, int epoch)
    {
        Assert.Equal(epoch, Checkpoint.ReadInfo(checkpoint).Epoch);
        var (generator, _) = Checkpoint.LoadGenerator(checkpoint);
        generator.Dispose();
    }

    [SizeLimitedFolderFact]
    public void A_disk_full_at_the_first_checkpoint_says_none_was_written()
    {
        var s = Probe.Value;
        var (result, run, copy) = TrainOnDisk(s.Small + s.Checkpoint / 2);
        var error = AssertOneError(result, Path.Combine(run, Checkpoint.FileName), copy);
        Assert.Contains("No checkpoint was written yet.", error);
        Assert.False(File.Exists(Path.Combine(copy, Checkpoint.FileName)));
    }

    [SizeLimitedFolderFact]
    public void A_disk_full_at_the_first_grid_keeps_the_checkpoint_before_it()
    {
        var s = Probe.Value;
        var (result, run, copy) = TrainOnDisk(s.Small + s.Checkpoint + s.Grid / 2);
        var error = AssertOneError(result, Path.Combine(run, "samples", "epoch-0001.png"), copy);
        Assert.Contains($"The last checkpoint, {Path.Combine(run, Checkpoint.FileName)}, is whole", error);
        AssertLoads(Path.Combine(copy, Checkpoint.FileName), epoch: 1);
    }

    // The issue's 3 MB disk: it filled at losses.html, which was written before the first checkpoint, so the run
    // ended with none. The checkpoint now comes first.
    [SizeLimitedFolderFact]
    public void A_disk_full_at_losses_html_keeps_the_checkpoint_it_used_to_cost()
    {
        var s = Probe.Value;
        var (result, run, copy) = TrainOnDisk(s.Small + s.Checkpoint + s.Grid + s.Losses / 2);
        var error = AssertOneError(result, Path.Combine(run, "losses.html"), copy);
        Assert.Contains($"The last checkpoint, {Path.Combine(run, Checkpoint.FileName)}, is whole", error);
        AssertLoads(Path.Combine(copy, Checkpoint.FileName), epoch: 1);
        Assert.True(File.Exists(Path.Combine(copy, "samples", "epoch-0001.png")));
    }

    // The second checkpoint is written beside the first, which becomes a backup only once the new one is whole.
    [SizeLimitedFolderFact]
    public void A_disk_full_at_the_second_checkpoint_keeps_the_first()
    {
        var s = Probe.Value;
        var (result, run, copy) = TrainOnDisk(s.Small + s.Checkpoint + s.Grid + s.Losses + s.Checkpoint / 2);
        var error = AssertOneError(result, Path.Combine(run, Checkpoint.FileName), copy);
        Assert.Contains($"The last checkpoint, {Path.Combine(run, Checkpoint.FileName)}, is whole", error);
        AssertLoads(Path.Combine(copy, Checkpoint.FileName), epoch: 1);
        Assert.False(Directory.Exists(Path.Combine(copy, "checkpoints")) && Directory.EnumerateFileSystemEntries(Path.Combine(copy, "checkpoints")).Any());
    }

    [SizeLimitedFolderFact]
    public void A_disk_full_while_sampling_names_the_image()
    {
        var s = Probe.Value;
        var root = TestData.TempDirectory();
        var disk = Path.Combine(root, "disk");
        var copy = Path.Combine(root, "copy");
        var result = SizeLimitedFolder.Run(disk, 16, copy, root, ["dotnet", Cli, "sample", "-c", Path.Combine(s.RunFolder, Checkpoint.FileName), "--out", disk]);
        var error = AssertOneError(result, Path.Combine(disk, "sample-"), copy);
        Assert.Contains(".png", error);
    }

    [SizeLimitedFolderFact]
    public void A_disk_full_at_the_image_cache_fails_prepare()
    {
        var root = TestData.TempDirectory();
        var images = Path.Combine(root, "images");
        Directory.CreateDirectory(images);
        for (int i = 0; i < 16; i++)
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), Data.TestImages.SolidPng(48, 48, new SKColor((byte)(i * 15), 80, 160)));
        var disk = Path.Combine(root, "disk");
        var copy = Path.Combine(root, "copy");
        var result = SizeLimitedFolder.Run(disk, 16, copy, root,
            ["dotnet", Cli, "prepare", "--data", images, "--size", "32", "--cache", Path.Combine(disk, "cache"), "--preview", Path.Combine(root, "preview.png")]);
        AssertOneError(result, Path.Combine(disk, "cache"), copy);
    }

    [SizeLimitedFolderFact]
    public void A_disk_full_at_a_notebook_written_in_place_leaves_it_as_it_was()
    {
        var root = TestData.TempDirectory();
        var disk = Path.Combine(root, "disk");
        var copy = Path.Combine(root, "copy");
        var notebook = Path.Combine(root, "full.ipynb");
        File.WriteAllText(notebook, """
            {"cells":[{"cell_type":"code","execution_count":null,"id":"a","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["1 + 1"]}],
             "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"},
              "polyglot_notebook":{"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}},
             "nbformat":4,"nbformat_minor":5}
            """);
        var inDisk = Path.Combine(disk, "full.ipynb");
        // The notebook on the tmpfs, then the rest of the tmpfs filled, so that writing its outputs back fails.
        var result = SizeLimitedFolder.Run(disk, 64, copy, root, ["dotnet", Cli, "notebooks", "run", inDisk, "--inplace"],
            setup: $"cp '{notebook}' \"$m/\" && (cat /dev/zero > \"$m/filler\" 2>/dev/null; true)");
        AssertOneError(result, inDisk, copy);
        Assert.Equal(File.ReadAllText(notebook), File.ReadAllText(Path.Combine(copy, "full.ipynb")));
    }
}
