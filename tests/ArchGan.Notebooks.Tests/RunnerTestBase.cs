using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

/// <summary>Runs a test notebook into an output folder and reads back what the runner wrote.</summary>
public abstract class RunnerTestBase : IDisposable
{
    internal TempFolder Temp { get; } = new();

    public void Dispose() => Temp.Dispose();

    internal async Task<(NotebookRunResult Result, JsonObject Saved)> RunAsync(TestNotebook notebook, NotebookRunOptions? options = null, string name = "test.ipynb")
    {
        var path = notebook.WriteTo(Temp.Path, name);
        options ??= new NotebookRunOptions();
        if (!options.InPlace)
        {
            options.OutputDirectory ??= Temp.File("out");
        }
        var result = await new NotebookRunner().RunAsync(path, options);
        Assert.NotNull(result.OutputPath);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        return (result, saved);
    }

    internal static JsonObject Cell(JsonObject notebook, int index) => notebook["cells"]![index]!.AsObject();

    internal static JsonArray Outputs(JsonObject notebook, int index) => Cell(notebook, index)["outputs"]!.AsArray();

    internal static JsonObject Only(JsonArray outputs) => Assert.Single(outputs)!.AsObject();

    internal static string Lines(JsonNode? node) => string.Concat(node!.AsArray().Select(line => line!.GetValue<string>()));
}
