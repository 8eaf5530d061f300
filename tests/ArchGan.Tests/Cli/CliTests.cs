using ArchGan.Cli.Commands;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>The archgan command end to end, in-process. One collection: the tests capture Console.</summary>
[Collection(nameof(ConsoleCapture))]
public class CliTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);

    // 32 facades in batches of 8: 4 iterations per epoch.
    private static string[] Recipe(int epochs) =>
    [
        "--image-size", "32", "--width", "0.125", "--batch-size", "8", "--epochs", $"{epochs}", "--sample-count", "4", "--facades", "32",
    ];

    private static readonly string[] TinyRecipe = Recipe(1);

    [Theory]
    [InlineData(new[] { "--sweep", "--layers" }, "--sweep and --layers are two separate measurements")]
    [InlineData(new[] { "--layers", "--data", "photos" }, "--data is timed by the full bench only, not with --layers")]
    [InlineData(new[] { "--sweep", "--data", "photos" }, "not with --sweep")]
    public async Task Bench_refuses_measurements_that_do_not_go_together(string[] args, string message)
    {
        var (code, output) = await Run(["bench", .. args]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task Bench_layers_prints_a_row_per_convolution_as_json()
    {
        var (code, output) = await Run("bench", "--layers", "--json", "--image-size", "32", "--width", "0.125", "--batch-size", "2");
        Assert.Equal(0, code);
        var rows = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('[')..]).RootElement;
        // 32 x 32: two doubling stages and the layer to RGB in G, three convolutions in D.
        Assert.Equal(new[] { "G1", "G2", "G3", "D1", "D2", "D3" }, rows.EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
        Assert.All(rows.EnumerateArray(), r => Assert.True(r.GetProperty("ForwardSeconds").GetDouble() > 0));
    }

    [Fact]
    public async Task Facades_writes_the_requested_number_of_pngs()
    {
        var folder = Path.Combine(TestData.TempDirectory(), "facades");
        var (code, output) = await Run("facades", "--count", "6", "--size", "32", "--out", folder);
        Assert.Equal(0, code);
        Assert.Equal(6, Directory.GetFiles(folder, "*.png").Length);
        Assert.Contains("6 facades", output);
    }

    [Fact]
    public async Task Train_sample_and_resume_work_from_the_command_line()
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run(new[] { "train", "--runs", runs, "--name", "tiny" }.Concat(TinyRecipe).ToArray());
        Assert.True(code == 0, output);
        var run = Path.Combine(runs, "tiny");
        foreach (var file in new[] { "checkpoint.ckpt", "losses.html", "hyperparameters.json", "data.json", "samples/final.png", "samples/epoch-0001.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing; output:\n{output}");

        (code, output) = await Run("sample", "--checkpoint", run, "--count", "5", "--interpolate");
        Assert.True(code == 0, output);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(run, "samples", "seed-0"), "sample-*.png").Length);
        Assert.True(File.Exists(Path.Combine(run, "samples", "seed-0", "interpolation.png")));

        (code, output) = await Run("train", "--resume", run, "--epochs", "2");
        Assert.True(code == 0, output);
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, "checkpoint.ckpt")).Epoch);

        // Training again under the same name would overwrite the checkpoint: refused, with the way out named.
        (code, output) = await Run(new[] { "train", "--runs", runs, "--name", "tiny" }.Concat(TinyRecipe).ToArray());
        Assert.Equal(1, code);
        Assert.Contains("--resume", output);
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, "checkpoint.ckpt")).Epoch);
    }

    // A run of 3 epochs with a checkpoint after each: checkpoint.ckpt, and backups of iterations 4 and 8.
    private static async Task<string> RunWithBackups()
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run(["train", "--runs", runs, "--name", "r", "--checkpoint-every", "1", .. Recipe(3)]);
        Assert.True(code == 0, output);
        return Path.Combine(runs, "r");
    }

    [Fact]
    public async Task Resuming_a_backup_file_continues_from_that_file()
    {
        var run = await RunWithBackups();
        var backup = Path.Combine(run, "checkpoints", "iteration-00000004.ckpt");
        Assert.Equal(1, Checkpoint.ReadInfo(backup).Epoch);

        var (code, output) = await Run("train", "--resume", backup, "--epochs", "2");
        Assert.True(code == 0, output);
        Assert.Contains("iteration-00000004.ckpt after iteration 4.", output);
        // The run folder is the backup's run, and it goes on from the backup's epoch 1, not from epoch 3.
        var current = Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName));
        Assert.Equal((2, 8L), (current.Epoch, current.Iteration));
    }

    [Fact]
    public async Task Overwrite_starts_afresh_without_the_old_runs_checkpoints_and_grids()
    {
        var run = await RunWithBackups();
        Assert.True(File.Exists(Path.Combine(run, "samples", "epoch-0003.png")));
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");

        var (code, output) = await Run(["train", "--runs", Path.GetDirectoryName(run)!, "--name", Path.GetFileName(run), "--overwrite", .. TinyRecipe]);
        Assert.True(code == 0, output);
        Assert.Equal(1, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints")), "the old run's checkpoints are still there");
        Assert.False(File.Exists(Path.Combine(run, "samples", "epoch-0003.png")), "the old run's grids are still there");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(run, "notes.txt")));
    }

    [Fact]
    public async Task Resuming_needs_more_epochs_than_the_run_has_finished()
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run(["train", "--runs", runs, "--name", "f", .. Recipe(2)]);
        Assert.True(code == 0, output);
        var run = Path.Combine(runs, "f");
        foreach (var args in new[] { new[] { "train", "--resume", run }, ["train", "--resume", run, "--epochs", "1"] })
        {
            (code, output) = await Run(args);
            Assert.Equal(1, code);
            Assert.Contains("--epochs", output);
            Assert.Contains("more than the 2 epochs", output);
        }
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "hyperparameters.json"))).RootElement.GetProperty("Epochs").GetInt32());
    }

    [Theory]
    [InlineData("facades", "--count", "0", "at least 1", "--out")]
    [InlineData("facades", "--size", "8", "16 to 2048", "--out")]
    [InlineData("train", "--facades", "0", "at least 1", "--runs")]
    [InlineData("sample", "--count", "-1", "at least 1", "--out")]
    [InlineData("prepare", "--size", "0", "1 to 4096", "--data")]
    [InlineData("compare", "--count", "1", "at least 2", "--out")]
    [InlineData("compare", "--snapshots", "0", "at least 1", "--out")]
    [InlineData("bench", "--iterations", "0", "at least 1", null)]
    public async Task Counts_and_sizes_out_of_range_fail_before_any_work_naming_the_option(string command, string option, string value, string allowed, string? folderOption)
    {
        var folder = TestData.TempDirectory();
        string[] args = folderOption is null ? [command, option, value] : [command, option, value, folderOption, folder];
        var (code, output) = await Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains($"{option} = {value} is not allowed; expected {allowed}.", output);
        Assert.DoesNotContain("Unrecognized", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void The_time_left_keeps_its_days()
    {
        Assert.Equal("00:05:07", TrainingView.Duration(new TimeSpan(0, 5, 7)));
        Assert.Equal("23:59:59", TrainingView.Duration(new TimeSpan(23, 59, 59)));
        Assert.Equal("3d 15:00:00", TrainingView.Duration(TimeSpan.FromHours(87)));
    }

    [Fact]
    public async Task Resuming_finds_moved_images_through_data_and_warns_when_their_number_changed()
    {
        var (root, photos, runs) = await TrainOnTwelvePhotos();
        var moved = Path.Combine(root, "moved");
        Directory.Move(photos, moved);
        File.Delete(Path.Combine(moved, "00.png"));
        File.Delete(Path.Combine(moved, "01.png"));
        var run = Path.Combine(runs, "p");
        var (code, output) = await Run("train", "--resume", run, "--epochs", "2", "--cache", Path.Combine(root, "cache"));
        Assert.Equal(1, code);
        Assert.Contains("photos", output);
        Assert.Contains("does not exist", output);

        (code, output) = await Run("train", "--resume", run, "--epochs", "2", "--data", moved, "--cache", Path.Combine(root, "cache"));
        Assert.True(code == 0, output);
        Assert.Contains("trained on 12 images and the data now gives 10", output);
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
    }

    [Fact]
    public async Task Resuming_on_other_images_of_the_same_number_warns_and_on_the_same_ones_does_not()
    {
        var (root, photos, runs) = await TrainOnTwelvePhotos();
        var cache = Path.Combine(root, "cache");
        var run = Path.Combine(runs, "p");

        var (code, output) = await Run("train", "--resume", run, "--epochs", "2", "--cache", cache);
        Assert.True(code == 0, output);
        Assert.DoesNotContain("Warning", output);

        File.WriteAllBytes(Path.Combine(photos, "05.png"), Data.TestImages.SolidPng(32, 32, new SkiaSharp.SKColor(250, 10, 10)));
        (code, output) = await Run("train", "--resume", run, "--epochs", "3", "--cache", cache);
        Assert.True(code == 0, output);
        Assert.Contains("as many images as the run was trained on, but not the same ones", output);
        Assert.Equal(3, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.FileName)).Epoch);
    }

    // One epoch of the tiny recipe, run "p", on 12 PNGs of distinct solid colours in root/photos, cached in root/cache.
    private static async Task<(string Root, string Photos, string Runs)> TrainOnTwelvePhotos()
    {
        var root = TestData.TempDirectory();
        var photos = Path.Combine(root, "photos");
        Directory.CreateDirectory(photos);
        for (int i = 0; i < 12; i++)
            File.WriteAllBytes(Path.Combine(photos, $"{i:D2}.png"), Data.TestImages.SolidPng(32, 32, new SkiaSharp.SKColor((byte)(20 * i), 90, 160)));
        var runs = Path.Combine(root, "runs");
        var (code, output) = await Run(["train", "--runs", runs, "--name", "p", "--data", photos, "--cache", Path.Combine(root, "cache"), .. TinyRecipe]);
        Assert.True(code == 0, output);
        return (root, photos, runs);
    }

    [Fact]
    public async Task Resuming_refuses_to_change_the_recipe()
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run(new[] { "train", "--runs", runs, "--name", "r" }.Concat(TinyRecipe).ToArray());
        Assert.True(code == 0, output);
        (code, output) = await Run("train", "--resume", Path.Combine(runs, "r"), "--image-size", "64");
        Assert.Equal(1, code);
        Assert.Contains("--image-size", output);
    }

    [Theory]
    [InlineData("bfloat16", "BFloat16,")]
    [InlineData("float32", "Float32,")]
    [InlineData("auto", null)]
    public async Task Train_names_the_precision_it_computes_in(string option, string? expected)
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run(new[] { "train", "--runs", runs, "--precision", option }.Concat(TinyRecipe).ToArray());
        Assert.True(code == 0, output);
        // auto is resolved for this machine, and says it was.
        expected ??= (ArchGan.Model.PrecisionChoice.CpuHasBFloat16 ? "BFloat16" : "Float32") + " (auto),";
        Assert.Contains(", " + expected + " batch 8", output);
    }

    [Theory]
    [InlineData("--preset", "huge", "preset = huge", "article, quick")]
    [InlineData("--image-size", "48", "ImageSize = 48", "32, 64, 128, 256")]
    [InlineData("--batch-size", "0", "BatchSize = 0", "positive")]
    [InlineData("--learning-rate-d", "-1", "LearningRateD = -1", "positive")]
    [InlineData("--batch-size", "four", "--batch-size = four", "an integer")]
    [InlineData("--resize", "squash", "--resize = squash", "center-crop, pad, stretch")]
    [InlineData("--device", "tpu", "--device = tpu", "auto, cpu, cuda")]
    [InlineData("--precision", "half", "--precision = half", "float32, bfloat16, auto")]
    [InlineData("--device", "cuda", "--device = cuda", "TorchSharp-cuda-linux")]
    public async Task Bad_hyperparameters_fail_before_any_work_with_the_field_value_and_what_is_allowed(string option, string value, string named, string allowed)
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run("train", "--runs", runs, option, value);
        Assert.Equal(1, code);
        Assert.Contains(named, output);
        Assert.Contains(allowed, output);
        Assert.Empty(Directory.GetFileSystemEntries(runs));
    }

    [Fact]
    public async Task A_missing_data_folder_is_one_clear_error()
    {
        var missing = Path.Combine(TestData.TempDirectory(), "no-such-folder");
        var (code, output) = await Run("train", "--data", missing, "--runs", TestData.TempDirectory());
        Assert.Equal(1, code);
        Assert.Contains("no-such-folder", output);
        Assert.Contains("does not exist", output);
    }

    [Fact]
    public async Task An_unknown_option_is_rejected_with_a_pointer_to_the_help_instead_of_the_help()
    {
        var (code, output) = await Run("train", "--learning-rate", "0.1");
        Assert.NotEqual(0, code);
        Assert.Contains("Unrecognized command or argument '--learning-rate'", output);
        Assert.Contains("See 'archgan train --help' for the options.", output);
        Assert.DoesNotContain("Usage:", output);
    }

    [Fact]
    public async Task A_libtorch_failure_in_training_is_one_error_line_with_exit_code_1()
    {
        var failure = new TrainingFailedException(6, "runs/r/checkpoint.ckpt",
            new System.Runtime.InteropServices.ExternalException("Expected false to be true, but got false.\nException raised from toLong"));
        var error = new StringWriter();
        var oldError = Console.Error;
        Console.SetError(error);
        int code;
        try { code = await CliErrors.Run(new Func<int>(() => throw failure)); }
        finally { Console.SetError(oldError); }
        Assert.Equal(1, code);
        Assert.Equal("error: libtorch failed in iteration 6: Expected false to be true, but got false. "
                     + "The last checkpoint, runs/r/checkpoint.ckpt, is intact: resume from it.", error.ToString().TrimEnd());
    }

    [Fact]
    public async Task Every_hyperparameter_has_an_option()
    {
        var (code, output) = await Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var field in typeof(Hyperparameters).GetProperties().Where(p => p.CanWrite))
            Assert.Contains(Hyperparameters.OptionName(field.Name), output);
    }
}

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public class ConsoleCapture;
