using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

/// <summary>
/// Runs a test notebook in the collection's real kernel, into an output folder, and reads back what the runner
/// wrote. The kernel keeps its state from test to test, as it would for a reader who opens another notebook in
/// the same session, so tests use names of their own.
/// </summary>
[Collection(KernelCollection.Name)]
public abstract class RunnerTestBase(KernelFixture kernel) : IDisposable
{
    internal TempFolder Temp { get; } = new(kernel.Folder);

    protected KernelFixture Fixture { get; } = kernel;

    public void Dispose() => Temp.Dispose();

    internal async Task<(NotebookRunResult Result, JsonObject Saved)> RunAsync(TestNotebook notebook, NotebookRunOptions? options = null, string name = "test.ipynb")
    {
        var path = notebook.WriteTo(Temp.Path, name);
        options ??= new NotebookRunOptions();
        if (!options.InPlace)
        {
            options.OutputDirectory ??= Temp.File("out");
        }
        var result = await new NotebookRunner().RunAsync(path, options, Fixture.Kernel);
        Assert.NotNull(result.OutputPath);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        return (result, saved);
    }

    internal static JsonObject Cell(JsonObject notebook, int index) => notebook["cells"]![index]!.AsObject();

    internal static JsonArray Outputs(JsonObject notebook, int index) => Cell(notebook, index)["outputs"]!.AsArray();

    internal static JsonObject Only(JsonArray outputs) => Assert.Single(outputs)!.AsObject();

    internal static string Lines(JsonNode? node) => string.Concat(node!.AsArray().Select(line => line!.GetValue<string>()));

    /// <summary>The library the tutorial's notebooks load, as built by this test run.</summary>
    internal static string ArchGanDll => Path.Combine(TutorialNotebookTests.RepositoryRoot(), "lib", "ArchGan", "bin", "Debug", "net8.0", "ArchGan.dll");
}
