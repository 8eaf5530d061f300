using ArchGan.Cli.Commands;
using ArchGan.Experiments;
using ArchGan.Tests.Cli;
using ArchGan.Training;

namespace ArchGan.Tests.Training;

[Collection(nameof(ConsoleCapture))]
public class ComparisonTests
{
    private static readonly Hyperparameters Tiny = TrainerTests.Tiny with { SampleEvery = 1000 };

    [Fact]
    public void Recipes_train_for_the_same_time_side_by_side_and_are_measured_along_the_way()
    {
        var data = TestData.Blocks(32, 32);
        var directory = TestData.TempDirectory();
        var recipes = new[] { new Recipe("plain", Tiny), new Recipe("ema hinge", Tiny with { EmaDecay = 0.99, Loss = GanLoss.Hinge }) };
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var result = RecipeComparison.Run(data, "blocks", recipes, TimeSpan.FromSeconds(4), directory, snapshots: 3, evaluationCount: 16,
            log: lines.Enqueue);

        Assert.Equal(new[] { "plain", "ema hinge" }, result.Arms.Select(a => a.Name));
        Assert.True(result.Parallel);
        Assert.Equal(1, result.ThreadsPerArm);
        Assert.Equal(16, result.EvaluationImages);
        foreach (var arm in result.Arms)
        {
            Assert.Equal(3, arm.Points.Count);
            Assert.True(arm.Points.Zip(arm.Points.Skip(1)).All(p => p.Second.Iteration >= p.First.Iteration && p.Second.Minutes > p.First.Minutes));
            Assert.InRange(arm.Final.Minutes, 4 / 60.0, 30 / 60.0); // the budget, plus at most the iteration running when it ran out
            Assert.True(arm.Final.Iteration > 0);
            Assert.All(arm.Points, p => Assert.Equal(new[] { 32, 16 }, p.Swd.Resolutions)); // at 32 px: the finest level and the 16 px low-pass
            Assert.All(arm.Points, p => Assert.Equal(8, p.Kid.SubsetSize)); // half of the 16 images a side
            Assert.Equal(arm.Final.Kid, arm.Quality.Kid); // the table's KID and the final measures come from the same samples
            Assert.InRange(arm.Quality.PrecisionRecall.Precision, 0, 1);
            Assert.True(File.Exists(arm.GridPath));
            // Each snapshot is reported while training runs, with the iteration it was taken at.
            for (int k = 0; k < 3; k++)
                Assert.Single(lines, l => l.StartsWith($"{arm.Name}: snapshot {k + 1} of 3 at ") && l.EndsWith($", iteration {arm.Points[k].Iteration}"));
        }
        // A few seconds of training leave samples far from the blocks: KID well above 0.
        Assert.All(result.Arms, a => Assert.True(a.Final.Kid.Mean > 3 * a.Final.Kid.StandardDeviation, a.Final.Kid.ToString()));
        Assert.Equal(result.Arms.OrderBy(a => a.Final.Kid.Mean).Select(a => a.Name), result.Ranked().Select(a => a.Name));
        Assert.Equal(Path.Combine(directory, "ema-hinge", "final.png"), result.Arms[1].GridPath);
        var table = File.ReadAllText(Path.Combine(directory, "results.md"));
        Assert.Contains($"| 1 | {result.Ranked()[0].Name} |", table);
        Assert.Contains($"| 2 | {result.Ranked()[1].Name} |", table);
        Assert.Contains("KID x1e3 over time", table);
        Assert.Contains("\"Loss\": \"Hinge\"", File.ReadAllText(Path.Combine(directory, "results.json")));
    }

    [Fact]
    public void Adaptive_augmentation_and_R1_are_read_at_every_measurement_of_the_recipes_that_use_them()
    {
        var directory = TestData.TempDirectory();
        var adaptive = Tiny with { DiffAugment = "translation", AdaptiveAugmentTarget = 0.6, R1Gamma = 0.1, R1Interval = 2 };
        var recipes = new[] { new Recipe("plain", Tiny), new Recipe("ada", adaptive) };
        var result = RecipeComparison.Run(TestData.Blocks(32, 32), "blocks", recipes, TimeSpan.FromSeconds(3), directory, snapshots: 2, evaluationCount: 16);

        Assert.All(result.Arms[0].Points, p => Assert.True(p.AugmentProbability is null && p.R1Penalty is null));
        Assert.All(result.Arms[1].Points, p => Assert.InRange(p.AugmentProbability!.Value, 0, 1));
        // By the end at least one R1 step has run, and D's gradient at real images is never exactly flat.
        Assert.True(result.Arms[1].Final.R1Penalty > 0, $"R1 penalty {result.Arms[1].Final.R1Penalty}");
        var table = File.ReadAllText(Path.Combine(directory, "results.md"));
        var augmentation = table[table.IndexOf("Adaptive augmentation's p over time")..];
        Assert.Contains("- ada: ", augmentation);
        Assert.DoesNotContain("- plain: ", augmentation);
        Assert.Contains("Lazy R1 penalty", table);
        Assert.Contains("\"R1Penalty\"", File.ReadAllText(Path.Combine(directory, "results.json")));

        // A comparison without either has neither heading.
        var plain = RecipeComparison.Run(TestData.Blocks(32, 32), "blocks", new[] { new Recipe("plain", Tiny) }, TimeSpan.FromSeconds(1),
            TestData.TempDirectory(), snapshots: 1, evaluationCount: 16);
        Assert.DoesNotContain("Adaptive augmentation", plain.ToMarkdown());
        Assert.DoesNotContain("R1 penalty", plain.ToMarkdown());
    }

    [Fact]
    public void A_failing_recipe_ends_the_comparison_with_its_error_and_restores_the_thread_count()
    {
        var directory = TestData.TempDirectory();
        File.WriteAllText(Path.Combine(directory, "broken"), "a file where the recipe's folder should go");
        var threads = TorchSharp.torch.get_num_threads();
        var recipes = new[] { new Recipe("fine", Tiny), new Recipe("broken", Tiny) };
        Assert.ThrowsAny<IOException>(() => RecipeComparison.Run(TestData.Blocks(16, 32), "blocks", recipes, TimeSpan.FromSeconds(30), directory));
        Assert.Equal(threads, TorchSharp.torch.get_num_threads());
        Assert.False(File.Exists(Path.Combine(directory, "results.md")));
    }

    [Fact]
    public void Recipe_names_that_would_share_a_folder_are_refused()
    {
        var recipes = new[] { new Recipe("a b", Tiny), new Recipe("a_b", Tiny) };
        var e = Assert.Throws<HyperparameterException>(() => RecipeComparison.Run(TestData.Blocks(16, 32), "blocks", recipes, TimeSpan.FromSeconds(1), TestData.TempDirectory()));
        Assert.Contains("a_b", e.Message);
    }

    [Fact]
    public void Minutes_to_reach_a_distance_is_the_first_point_at_or_below_it()
    {
        static QualityPoint At(double minutes, double kid) =>
            new(minutes, 0, new ArchGan.Metrics.SwdResult(new[] { 16 }, new[] { 50.0 }, 8, 0), new ArchGan.Metrics.KidResult(kid, 5, 100, 4));
        var arm = new ArmResult("a", Tiny, new[] { At(1, 90), At(2, 70), At(3, 75), At(4, 60) }, null!, null!, null!, null!, "");
        Assert.Equal(2, arm.MinutesToReach(70));
        Assert.Equal(4, arm.MinutesToReach(65));
        Assert.Null(arm.MinutesToReach(50));
    }

    [Theory]
    [InlineData("improved=quick", "improved", false, 0.999)]
    [InlineData("ema=article,ema-decay=0.999,loss=hinge", "ema", true, 0.999)]
    [InlineData("da=article, DiffAugment=color+cutout", "da", false, 0.0)]
    public void Recipes_are_read_as_name_preset_and_fields(string spec, string name, bool hinge, double ema)
    {
        var recipe = CompareCommand.ParseRecipe(spec, 32);
        Assert.Equal(name, recipe.Name);
        Assert.Equal(32, recipe.Hp.ImageSize);
        Assert.Equal(hinge ? GanLoss.Hinge : GanLoss.Bce, recipe.Hp.Loss);
        Assert.Equal(ema, recipe.Hp.EmaDecay);
    }

    [Theory]
    [InlineData("quick", "name=preset")]
    [InlineData("x=nosuch", "preset")]
    [InlineData("x=quick,ema-decay", "field=value")]
    [InlineData("x=quick,colour=1", "a hyperparameter")]
    [InlineData("x=quick,loss=wasserstein", "one of bce, hinge")]
    public async Task A_bad_recipe_is_one_clear_error(string spec, string expected)
    {
        var (code, output) = await InProcessCli.Run("compare", "--minutes", "0.01", "--facades", "32", "--image-size", "32", "-r", spec);
        Assert.Equal(1, code);
        Assert.Contains("error:", output);
        Assert.Contains(expected, output);
    }

    [Fact]
    public async Task The_command_writes_the_table_and_a_grid_per_recipe()
    {
        var directory = TestData.TempDirectory();
        var (code, output) = await InProcessCli.Run("compare", "--minutes", "0.05", "--facades", "32", "--image-size", "32", "--snapshots", "2",
            "--count", "16", "--out", directory, "-r", "a=quick,width=0.125,batch-size=8", "-r", "b=quick,width=0.125,batch-size=8,ema-decay=0.99");
        Assert.True(code == 0, output);
        Assert.Contains("| a |", output);
        Assert.Contains("| b |", output);
        Assert.True(File.Exists(Path.Combine(directory, "a", "final.png")));
        Assert.True(File.Exists(Path.Combine(directory, "b", "final.png")));
        Assert.True(File.Exists(Path.Combine(directory, "results.md")));
    }
}
