using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

/// <summary>
/// The tutorial's notebooks (notebooks/*.ipynb) in the real kernel, each in a kernel of its own as after a restart:
/// each runs start to finish with its smoke values, shows what its step is about, and runs again in the same
/// kernel, as when a reader re-runs its cells; each keeps the shape Polyglot Notebooks expects. Runs go to a
/// temporary folder, with the notebooks' run folder (parameter RunsFolder) pointed there too, so the repository is
/// never written.
/// </summary>
public sealed class TutorialNotebookTests : IDisposable
{
    private TempFolder Temp { get; } = new();

    public void Dispose() => Temp.Dispose();

    private static string Lines(JsonNode? node) => RunnerTestBase.Lines(node);
    private const string Image = "<img src=\"data:image/png;base64,";
    private const string Chart = "Plotly.newPlot";
    private const string Table = "<table";

    /// <summary>What each notebook must show; notebooks not listed must still run cleanly.</summary>
    private static readonly Dictionary<string, string[]> MustShow = new()
    {
        ["01"] = new[] { Image, Table },
        ["02"] = new[] { Image, Chart },
        ["03"] = new[] { Image, Table },
        ["04"] = new[] { Table },
        ["05"] = new[] { Chart, Table },
        ["06"] = new[] { Chart, Table },
        ["07"] = new[] { Image, Chart },
        ["08"] = new[] { Image },
        ["09"] = new[] { Image, Chart, Table },
        ["10"] = new[] { Image, Chart, Table },
    };

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArchGan.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No ArchGan.sln above {AppContext.BaseDirectory}.");
    }

    private static string NotebooksFolder => Path.Combine(RepositoryRoot(), "notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private async Task<(NotebookRunResult Result, JsonObject Saved)> RunSmokeAsync(string name, string runsFolder, KernelProcess? kernel = null, string? outFolder = null)
    {
        var options = new NotebookRunOptions { Smoke = true, OutputDirectory = outFolder ?? Temp.File("out-" + Path.GetFileNameWithoutExtension(name)) };
        options.Parameters["RunsFolder"] = runsFolder;
        var result = await new NotebookRunner().RunAsync(Path.Combine(NotebooksFolder, name), options, kernel);
        Assert.True(result.Succeeded, $"{name}: {result.ErrorMessage}");
        return (result, JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject());
    }

    private static void AssertRanCleanAndShowsItsStep(string name, JsonObject saved)
    {
        Assert.DoesNotContain(AllOutputs(saved), o => o["output_type"]!.GetValue<string>() == "error");
        Assert.All(saved["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code"),
            cell => Assert.True(cell!["execution_count"] is not null, $"{name}: cell {cell["id"]} did not run"));
        var html = Html(saved);
        foreach (var expected in MustShow.GetValueOrDefault(name[..2], Array.Empty<string>()))
            Assert.True(html.Contains(expected, StringComparison.Ordinal), $"{name} shows no {expected}");
        Assert.DoesNotContain("plotly.js v", html); // the library is fetched from its CDN, never embedded
    }

    private static IEnumerable<JsonObject> AllOutputs(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => c["cell_type"]!.GetValue<string>() == "code")
            .SelectMany(c => c["outputs"]!.AsArray().Select(o => o!.AsObject()));

    private static string Html(JsonObject notebook) => string.Concat(AllOutputs(notebook)
        .Where(o => o["data"]?["text/html"] is not null)
        .Select(o => Lines(o["data"]!["text/html"])));

    private static string Stdout(JsonObject notebook) => string.Concat(AllOutputs(notebook)
        .Where(o => o["output_type"]!.GetValue<string>() == "stream")
        .Select(o => Lines(o["text"])));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Runs_in_the_kernel_with_its_smoke_values_shows_its_step_and_runs_again_in_the_same_kernel(string name)
    {
        var runs = Temp.File("runs");
        await using var kernel = await KernelProcess.StartAsync(NotebooksFolder);

        var (_, saved) = await RunSmokeAsync(name, runs, kernel, Temp.File("first"));
        AssertRanCleanAndShowsItsStep(name, saved);
        if (name.StartsWith("08") || name.StartsWith("10"))
        {
            // A fresh runs folder has no checkpoint from notebook 07: the notebook trains a short model and says so.
            Assert.Contains("Training a short model here instead", Stdout(saved));
        }

        // Every cell again, in the kernel that holds the first run's variables, packages and files.
        var (_, again) = await RunSmokeAsync(name, runs, kernel, Temp.File("again"));
        AssertRanCleanAndShowsItsStep(name, again);
    }

    [Fact]
    public async Task Training_shows_one_dashboard_that_updates_in_place_to_the_last_iteration()
    {
        var (_, saved) = await RunSmokeAsync("07-training.ipynb", Temp.File("runs"));

        var training = saved["cells"]!.AsArray().Select(c => c!.AsObject())
            .Single(c => c["cell_type"]!.GetValue<string>() == "code" && Lines(c["source"]).Contains("trainer.Train("));
        var outputs = training["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();
        var dashboards = outputs.Where(o => o["output_type"]!.GetValue<string>() == "display_data").ToList();
        var dashboard = Lines(Assert.Single(dashboards)["data"]!["text/html"]);
        // Smoke values: 32 facades in batches of 8 for 2 epochs, a grid every 2 iterations.
        Assert.Contains("epoch 2/2 &#183; iteration 8/8", dashboard);
        Assert.Contains("<img src=\"data:image/png;base64,", dashboard);
        Assert.Contains("Plotly.newPlot", dashboard);
    }

    [Fact]
    public async Task Sampling_and_plotting_use_the_model_that_notebook_07_trained()
    {
        var runs = Temp.File("shared-runs");
        await RunSmokeAsync("07-training.ipynb", runs);
        Assert.NotNull(ArchGan.Training.Checkpoint.Latest(Path.Combine(runs, "notebook-07")));

        var (_, sampling) = await RunSmokeAsync("08-sampling.ipynb", runs);
        var (_, plotting) = await RunSmokeAsync("10-plotting.ipynb", runs);

        Assert.Contains("Using the model notebook 07 trained", Stdout(sampling));
        Assert.Contains("Using the model notebook 07 trained", Stdout(plotting));
        Assert.False(Directory.Exists(Path.Combine(runs, "notebook-08-fallback")));
    }

    [Fact]
    public void Every_notebook_has_the_Polyglot_shape_a_setup_cell_parameters_and_smoke_values()
    {
        var names = Directory.GetFiles(NotebooksFolder, "*.ipynb").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(10, names.Count);
        foreach (var name in names)
        {
            var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebooksFolder, name)))!.AsObject();
            Assert.Equal(4, notebook["nbformat"]!.GetValue<int>());
            Assert.Equal(5, notebook["nbformat_minor"]!.GetValue<int>());
            var metadata = notebook["metadata"]!;
            Assert.Equal(".net-csharp", metadata["kernelspec"]!["name"]!.GetValue<string>());
            Assert.Equal("csharp", metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
            var cells = notebook["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
            var ids = cells.Select(c => c["id"]!.GetValue<string>()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var code = cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
            Assert.All(code, c => Assert.Equal("csharp", c["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>()));
            Assert.StartsWith("# Step ", Lines(cells[0]["source"]));
            Assert.Contains("#r \"../lib/ArchGan/bin/Debug/net8.0/ArchGan.dll\"", Lines(code[0]["source"]));
            Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", Lines(code[0]["source"]));
            var parameters = Assert.Single(code, c => c["metadata"]!["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "parameters") == true);
            Assert.DoesNotContain(code, c => c["metadata"]!["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "injected-parameters") == true);
            var declared = ParameterInjector.DeclaredTypes(Lines(parameters["source"]));
            var smoke = metadata["archgan"]!["smoke"]!.AsObject();
            Assert.NotEmpty(smoke);
            Assert.All(smoke, p => Assert.True(declared.ContainsKey(p.Key), $"{name}: smoke value {p.Key} is not a parameter"));
            Assert.Contains("## Try this", Lines(cells[^1]["source"]));
        }
    }

    [Fact]
    public void The_committed_notebooks_carry_outputs_without_errors_and_stay_small()
    {
        long total = 0;
        foreach (var file in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            var text = File.ReadAllText(file);
            total += new FileInfo(file).Length;
            var notebook = JsonNode.Parse(text)!.AsObject();
            Assert.NotEmpty(AllOutputs(notebook));
            Assert.DoesNotContain(AllOutputs(notebook), o => o["output_type"]!.GetValue<string>() == "error");
            Assert.DoesNotContain("plotly.js v", text);
            foreach (var machinePath in new[] { "/root/", "/home/", "/tmp/", "/work/", Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/", RepositoryRoot() + "/" })
                Assert.False(text.Contains(machinePath, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds the machine path {machinePath}");
            // Every chart has its picture, for viewers that run no scripts.
            Assert.Equal(System.Text.RegularExpressions.Regex.Count(text, "Plotly.newPlot"), System.Text.RegularExpressions.Regex.Count(text, @"still\.parentNode\.removeChild\(still\)"));
        }
        Assert.True(total < 5_000_000, $"notebooks/ holds {total:N0} bytes");
    }
}
