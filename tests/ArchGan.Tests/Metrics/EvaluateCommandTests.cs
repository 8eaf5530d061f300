using System.Text.Json;
using ArchGan.Cli.Commands;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.Tests.Cli;

namespace ArchGan.Tests.Metrics;

/// <summary><c>archgan evaluate</c> in-process on small folders of PNGs. In the console-capturing collection.</summary>
[Collection(nameof(ConsoleCapture))]
public class EvaluateCommandTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);

    private static (string Real, string Fake, string Cache) Folders()
    {
        var root = TestData.TempDirectory();
        var real = Path.Combine(root, "real");
        var fake = Path.Combine(root, "fake");
        ImagePng.WriteAll(Facades.Generate(12, 32, seed: 1), real);
        ImagePng.WriteAll(Facades.Generate(10, 32, seed: 2), fake);
        return (real, fake, Path.Combine(root, "cache"));
    }

    [Fact]
    public async Task Real_and_fake_folders_give_json_with_every_measure()
    {
        var (real, fake, cache) = Folders();
        var (code, output) = await Run("evaluate", "--real", real, "--fake", fake, "--size", "32", "--cache", cache, "--json");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(10, root.GetProperty("count").GetInt32()); // the smaller folder
        Assert.Equal(12, root.GetProperty("realImages").GetInt32());
        Assert.Equal(32, root.GetProperty("size").GetInt32());
        var swd = root.GetProperty("swd");
        Assert.Equal(new[] { 32, 16 }, swd.GetProperty("resolutions").EnumerateArray().Select(e => e.GetInt32()));
        var levels = swd.GetProperty("perLevel").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, levels.Length);
        Assert.Equal(levels.Average(), swd.GetProperty("average").GetDouble(), 1e-9);
        Assert.All(levels, v => Assert.True(v > 0));
        var uniqueness = root.GetProperty("uniqueness");
        Assert.InRange(uniqueness.GetProperty("medianRatio").GetDouble(), 0.3, 3);
        Assert.Equal(10, uniqueness.GetProperty("nearest").GetArrayLength());
        Assert.InRange(root.GetProperty("diversity").GetProperty("ratio").GetDouble(), 0.5, 2);
        var kid = root.GetProperty("kid");
        Assert.Equal(5, kid.GetProperty("subsetSize").GetInt32()); // half of the 10 images a side
        Assert.True(kid.GetProperty("standardDeviation").GetDouble() > 0);
        Assert.True(double.IsFinite(kid.GetProperty("mean").GetDouble()));
        Assert.True(root.GetProperty("fid").GetDouble() > 0);
        Assert.InRange(root.GetProperty("precision").GetDouble(), 0, 1);
        Assert.InRange(root.GetProperty("recall").GetDouble(), 0, 1);
        Assert.True(root.GetProperty("featureMillisecondsPerImage").GetDouble() > 0);
    }

    [Fact]
    public async Task A_folder_against_itself_shows_copies_and_the_table_names_every_measure()
    {
        var (real, _, cache) = Folders();
        var (code, output) = await Run("evaluate", "--real", real, "--fake", real, "--size", "32", "--cache", cache, "--json");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var uniqueness = json.RootElement.GetProperty("uniqueness");
        Assert.True(uniqueness.GetProperty("medianRatio").GetDouble() < 1e-3);
        foreach (var pair in uniqueness.GetProperty("nearest").EnumerateArray())
            Assert.Equal(pair.GetProperty("fake").GetString(), pair.GetProperty("real").GetString());
        var kid = json.RootElement.GetProperty("kid");
        double mean = kid.GetProperty("mean").GetDouble(), spread = kid.GetProperty("standardDeviation").GetDouble();
        Assert.InRange(mean, -3 * spread, 3 * spread); // the same images: no distance beyond the subsets' noise
        Assert.Equal(1.0, json.RootElement.GetProperty("precision").GetDouble());

        (code, output) = await Run("evaluate", "--real", real, "--fake", real, "--size", "32", "--cache", cache);
        Assert.True(code == 0, output);
        foreach (var text in new[] { "KID x1e3", "FID", "precision", "recall", "ms an image", "SWD x1e3, 32 px", "SWD x1e3, 16 px", "SWD x1e3, average", "NN ratio (median)", "diversity" })
            Assert.Contains(text, output);
    }

    [Fact]
    public async Task A_checkpoint_is_sampled_at_its_size_against_as_many_real_images()
    {
        var runs = TestData.TempDirectory();
        var (code, output) = await Run("train", "--runs", runs, "--name", "tiny", "--image-size", "32", "--width", "0.125",
            "--batch-size", "8", "--epochs", "1", "--sample-count", "4", "--facades", "16");
        Assert.True(code == 0, output);
        var (real, _, cache) = Folders(); // 12 facades of 32 x 32

        (code, output) = await Run("evaluate", "--checkpoint", Path.Combine(runs, "tiny"), "--data", real, "--count", "50", "--cache", cache, "--json");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(12, json.RootElement.GetProperty("count").GetInt32()); // fewer real images than --count: all of them
        Assert.Equal(32, json.RootElement.GetProperty("size").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("swd").GetProperty("perLevel").GetArrayLength());
        Assert.Equal(6, json.RootElement.GetProperty("kid").GetProperty("subsetSize").GetInt32());
        // One epoch on 16 facades draws nothing like them yet.
        Assert.True(json.RootElement.GetProperty("kid").GetProperty("mean").GetDouble() > 3 * json.RootElement.GetProperty("kid").GetProperty("standardDeviation").GetDouble());

        (code, output) = await Run("evaluate", "--checkpoint", Path.Combine(runs, "missing"), "--data", real);
        Assert.Equal(1, code);
        Assert.StartsWith("error:", output.Trim());
    }

    [Theory]
    [InlineData(new string[0], "Nothing to evaluate")]
    [InlineData(new[] { "--checkpoint", "run" }, "--checkpoint needs --data")]
    [InlineData(new[] { "--real", "a" }, "--real and --fake go together")]
    [InlineData(new[] { "--checkpoint", "run", "--data", "d", "--real", "a", "--fake", "b" }, "not both")]
    public async Task Missing_or_mixed_inputs_are_refused_with_a_clear_message(string[] args, string message)
    {
        var (code, output) = await Run(["evaluate", .. args]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task A_size_that_does_not_halve_to_16_is_refused()
    {
        var (real, fake, cache) = Folders();
        var (code, output) = await Run("evaluate", "--real", real, "--fake", fake, "--size", "48", "--cache", cache);
        Assert.Equal(1, code);
        Assert.Contains("--size", output);
    }
}
