using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

public sealed class ParameterTests(KernelFixture kernel) : RunnerTestBase(kernel)
{
    private static TestNotebook WithParameters() => new TestNotebook()
        .Markdown("# Parameters")
        .Code("int Epochs = 200;\ndouble LearningRate = 2e-4;\nstring Name = \"full\";\nvar Fast = false;", "csharp", "parameters")
        .Code("$\"{Epochs}|{LearningRate.GetType().Name}:{LearningRate}|{Name}|{Fast}\"");

    [Fact]
    public async Task Overrides_are_injected_after_the_parameters_cell_and_typed_by_its_declarations()
    {
        var options = new NotebookRunOptions();
        options.Parameters["Epochs"] = "3";
        options.Parameters["LearningRate"] = "1";
        options.Parameters["Name"] = "42";
        options.Parameters["Fast"] = "True";

        var (result, saved) = await RunAsync(WithParameters(), options);

        Assert.True(result.Succeeded, result.ErrorMessage);
        var injected = Cell(saved, 2);
        Assert.Equal("injected-parameters", injected["id"]!.GetValue<string>());
        Assert.Equal("injected-parameters", injected["metadata"]!["tags"]![0]!.GetValue<string>());
        Assert.Contains("int Epochs = 3;", Lines(injected["source"]));
        Assert.Equal("3|Double:1|42|True", Lines(Outputs(saved, 3)[0]!["data"]!["text/plain"]));
        Assert.Equal(4, saved["cells"]!.AsArray().Count);
    }

    [Fact]
    public async Task Without_overrides_the_defaults_run_and_nothing_is_injected()
    {
        var (result, saved) = await RunAsync(WithParameters());

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(3, saved["cells"]!.AsArray().Count);
        Assert.Equal("200|Double:0.0002|full|False", Lines(Outputs(saved, 2)[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Smoke_applies_the_notebooks_own_values_and_explicit_parameters_win()
    {
        var notebook = WithParameters();
        notebook.Metadata["archgan"] = new JsonObject { ["smoke"] = new JsonObject { ["Epochs"] = 1, ["Name"] = "smoke", ["Fast"] = true } };
        var options = new NotebookRunOptions { Smoke = true };
        options.Parameters["Name"] = "explicit";

        var (result, saved) = await RunAsync(notebook, options);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("1|Double:0.0002|explicit|True", Lines(Outputs(saved, 3)[0]!["data"]!["text/plain"]));
        Assert.Equal("explicit", result.InjectedParameters["Name"]);
    }

    [Fact]
    public async Task Running_again_replaces_the_injected_cell_instead_of_stacking_another()
    {
        var path = WithParameters().WriteTo(Temp.Path, "again.ipynb");
        var runner = new NotebookRunner();
        var first = new NotebookRunOptions { InPlace = true };
        first.Parameters["Epochs"] = "5";
        var second = new NotebookRunOptions { InPlace = true };
        second.Parameters["Epochs"] = "7";

        Assert.True((await runner.RunAsync(path, first, Fixture.Kernel)).Succeeded);
        var result = await runner.RunAsync(path, second, Fixture.Kernel);

        Assert.True(result.Succeeded, result.ErrorMessage);
        var saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var cells = saved["cells"]!.AsArray();
        Assert.Single(cells, c => c!["metadata"]!["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "injected-parameters") == true);
        Assert.StartsWith("7|", Lines(Outputs(saved, 3)[0]!["data"]!["text/plain"]));

        // A plain run afterwards drops the stale cell and uses the defaults.
        Assert.True((await runner.RunAsync(path, new NotebookRunOptions { InPlace = true }, Fixture.Kernel)).Succeeded);
        saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(3, saved["cells"]!.AsArray().Count);
        Assert.StartsWith("200|", Lines(Outputs(saved, 2)[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_value_that_does_not_fit_the_declared_type_fails_the_notebook_before_it_runs()
    {
        var path = WithParameters().WriteTo(Temp.Path, "bad.ipynb");
        var options = new NotebookRunOptions();
        options.Parameters["Epochs"] = "many";

        var result = await new NotebookRunner().RunAsync(path, options);

        Assert.False(result.Succeeded);
        Assert.Null(result.FailedCellIndex);
        Assert.Contains("'many' is not a valid int", result.ErrorMessage);
    }

    [Fact]
    public void Undeclared_names_are_typed_from_their_values()
    {
        var notes = new List<string>();
        var source = ParameterInjector.BuildSource("int A = 1;", new[]
        {
            new KeyValuePair<string, string>("B", "12"),
            new KeyValuePair<string, string>("C", "0.5"),
            new KeyValuePair<string, string>("D", "false"),
            new KeyValuePair<string, string>("E", "some \"text\""),
        }, notes);

        Assert.Contains("var B = 12;", source);
        Assert.Contains("var C = 0.5;", source);
        Assert.Contains("var D = false;", source);
        Assert.Contains("var E = \"some \\\"text\\\"\";", source);
        Assert.Equal(4, notes.Count);
    }
}
