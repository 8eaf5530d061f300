namespace ArchGan.Notebooks.Tests;

public sealed class DirectiveTests : RunnerTestBase
{
    [Fact]
    public async Task An_unknown_nuget_package_is_a_clear_error_output()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"nuget: Unknown.Package, 1.0\"\nConsole.WriteLine(\"not reached\");"));

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.FailedCellIndex);
        var error = Only(Outputs(saved, 0));
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        var message = error["evalue"]!.GetValue<string>();
        Assert.Contains("does not carry Unknown.Package", message);
        Assert.Contains("TorchSharp-cpu 0.107.0", message);
    }

    [Fact]
    public async Task A_different_version_of_a_carried_package_is_a_clear_error_output()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"nuget: TorchSharp-cpu, 9.9\""));

        Assert.False(result.Succeeded);
        var error = Only(Outputs(saved, 0));
        Assert.Contains("this runner carries TorchSharp-cpu 0.107.0; notebook asks for TorchSharp-cpu 9.9", error["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Carried_packages_are_accepted_hoisted_and_their_namespaces_compile()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("using TorchSharp;\n#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: Plotly.NET\"\n#i \"nuget: https://example.org/feed\"\ntypeof(torch).FullName"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("TorchSharp.torch", Lines(Only(Outputs(saved, 0))["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_missing_dll_is_an_error_naming_the_resolved_path()
    {
        var (result, saved) = await RunAsync(new TestNotebook().Code("#r \"lib/Missing.dll\""));

        Assert.False(result.Succeeded);
        var message = Only(Outputs(saved, 0))["evalue"]!.GetValue<string>();
        Assert.Contains("file not found", message);
        Assert.Contains(Path.Combine(Temp.Path, "lib", "Missing.dll"), message);
    }

    [Fact]
    public async Task A_dll_the_runner_already_loaded_binds_to_the_loaded_copy()
    {
        // The notebooks #r ArchGan.dll from a build folder, which may be another build than the runner's. Here
        // the file is a different assembly of the same name: compiling against it would fail (or, worse, bind
        // to types the runtime does not have); the runner must use its own loaded copy instead.
        var hostCopy = typeof(Kernel).Assembly.Location;
        Directory.CreateDirectory(Temp.File("bin"));
        var impostor = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "ArchGan.Notebooks",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("[assembly: System.Reflection.AssemblyVersion(\"9.9.9.9\")] namespace ArchGan.Notebooks { public static class OnlyInTheFile { } }") },
            new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using (var file = File.Create(Temp.File("bin/ArchGan.Notebooks.dll")))
        {
            Assert.True(impostor.Emit(file).Success);
        }

        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"bin/ArchGan.Notebooks.dll\"\ntypeof(ArchGan.Notebooks.Kernel).Assembly.Location"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(hostCopy, Lines(Only(Outputs(saved, 0))["data"]!["text/plain"]));
    }

    [Fact]
    public async Task FSharp_types_of_PlotlyNet_are_usable_and_charts_render_as_html()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"nuget: Plotly.NET, 6.0.0\"\nusing Plotly.NET;\nvar chart = GenericChart.ofTraceObject(true, new Trace2D(\"scatter\"));\ndisplay(chart);\nvar list = Microsoft.FSharp.Collections.ListModule.OfSeq(new[] { 1, 2 });\nlist.Length"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var outputs = Outputs(saved, 0);
        Assert.Contains("plotly", Lines(outputs[0]!["data"]!["text/html"]), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2", Lines(outputs[1]!["data"]!["text/html"]));
    }

    [Fact]
    public async Task TorchSharp_runs_from_a_notebook_cell()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing TorchSharp;\ntorch.ones(3).sum().item<float>()"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Contains(">3<", Lines(Only(Outputs(saved, 0))["data"]!["text/html"]));
    }

    [Fact]
    public async Task XPlot_charts_render_as_inline_html()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#r \"nuget: XPlot.Plotly, 4.1.0\"\nusing XPlot.Plotly;\nChart.Plot(new Scatter { x = new[] { 1, 2 }, y = new[] { 3, 4 } })"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var html = Lines(Only(Outputs(saved, 0))["data"]!["text/html"]);
        Assert.Contains("Plotly.newPlot", html);
    }
}
