using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

public sealed class FormatTests(KernelFixture kernel) : RunnerTestBase(kernel)
{
    [Fact]
    public async Task The_written_notebook_has_the_shape_Polyglot_Notebooks_writes()
    {
        var notebook = new TestNotebook()
            .Markdown("# Title")
            .Code("Console.WriteLine(\"a\");\nConsole.WriteLine(\"b\");\n\"x\\ny\"");
        notebook.Metadata["custom"] = new JsonObject { ["kept"] = true };

        var (result, saved) = await RunAsync(notebook);

        Assert.True(result.Succeeded, result.ErrorMessage);
        var text = File.ReadAllText(result.OutputPath!);
        Assert.StartsWith("{\n \"cells\": [\n  {\n", text);
        Assert.EndsWith("}\n", text);
        Assert.Equal(4, saved["nbformat"]!.GetValue<int>());
        Assert.Equal(5, saved["nbformat_minor"]!.GetValue<int>());
        Assert.Equal(".net-csharp", saved["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", saved["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.True(saved["metadata"]!["custom"]!["kept"]!.GetValue<bool>());
        Assert.Equal("cell-0", Cell(saved, 0)["id"]!.GetValue<string>());
        Assert.Equal("cell-1", Cell(saved, 1)["id"]!.GetValue<string>());
        Assert.Equal("csharp", Cell(saved, 1)["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        var outputs = Outputs(saved, 1);
        Assert.Equal(new[] { "a\n", "b\n" }, outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(new[] { "x\n", "y" }, outputs[1]!["data"]!["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.IsType<JsonObject>(outputs[1]!["metadata"]);
        Assert.Equal(1, Cell(saved, 1)["execution_count"]!.GetValue<int>());
        // Keys sorted, as Jupyter and VS Code write them.
        Assert.Equal(new[] { "cell_type", "execution_count", "id", "metadata", "outputs", "source" }, Cell(saved, 1).Select(p => p.Key));
    }

    [Fact]
    public async Task In_place_rewrites_the_file_as_a_valid_notebook_and_leaves_no_temporary_file()
    {
        var path = new TestNotebook().Code("1 + 1").WriteTo(Temp.Path, "inplace.ipynb");

        var result = await new NotebookRunner().RunAsync(path, new NotebookRunOptions { InPlace = true });

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(path, result.OutputPath);
        var reread = Notebook.Load(path);
        Assert.Single(reread.Cells[0].Outputs);
        Assert.Equal(new[] { "inplace.ipynb" }, Directory.GetFiles(Temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Invalid_json_is_rejected_naming_the_file()
    {
        var path = Temp.File("broken.ipynb");
        File.WriteAllText(path, "{ \"cells\": [ ");

        var ex = await Assert.ThrowsAsync<NotebookFormatException>(() => new NotebookRunner().RunAsync(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("invalid JSON", ex.Message);
    }

    [Fact]
    public async Task A_notebook_for_another_kernel_is_rejected_naming_the_file()
    {
        var path = Temp.File("python.ipynb");
        File.WriteAllText(path, """
            {"cells": [{"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": null, "source": ["print(1)"]}],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
             "nbformat": 4, "nbformat_minor": 5}
            """);

        var ex = await Assert.ThrowsAsync<NotebookFormatException>(() => new NotebookRunner().RunAsync(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("not a C# notebook", ex.Message);
    }

    [Fact]
    public async Task Run_many_reports_a_rejected_notebook_as_a_failure_and_runs_the_rest()
    {
        File.WriteAllText(Temp.File("a.ipynb"), "not json");
        new TestNotebook().Code("1").WriteTo(Temp.Path, "b.ipynb");

        var results = await new NotebookRunner().RunManyAsync(new[] { Temp.Path });

        Assert.Equal(2, results.Count);
        Assert.False(results[0].Succeeded);
        Assert.Contains("a.ipynb", results[0].ErrorMessage);
        Assert.True(results[1].Succeeded, results[1].ErrorMessage);
        Assert.Null(results[1].OutputPath);
    }
}
