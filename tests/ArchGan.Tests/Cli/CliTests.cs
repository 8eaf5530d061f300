using ArchGan.Cli.Commands;
using ArchGan.Training;

namespace ArchGan.Tests.Cli;

/// <summary>The archgan command end to end, in-process. One collection: the tests capture Console.</summary>
[Collection(nameof(ConsoleCapture))]
public class CliTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);

    private static readonly string[] TinyRecipe =
    {
        "--image-size", "32", "--width", "0.125", "--batch-size", "8", "--epochs", "1", "--sample-count", "4", "--facades", "32",
    };

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
    public async Task An_unknown_option_is_rejected()
    {
        var (code, output) = await Run("train", "--learning-rate", "0.1");
        Assert.NotEqual(0, code);
        Assert.Contains("--learning-rate", output);
    }

    [Fact]
    public async Task Every_hyperparameter_has_an_option()
    {
        var (code, output) = await Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var field in typeof(Hyperparameters).GetProperties().Where(p => p.CanWrite))
            Assert.Contains(HyperparameterOptions.OptionName(field.Name), output);
    }
}

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public class ConsoleCapture;
