using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

/// <summary>
/// What the tutorial relies on in the real kernel, one thing at a time: the library's displays, TorchSharp called
/// directly, Plotly.NET beside the kernel's own FSharp.Core.
/// </summary>
public sealed class KernelTests(KernelFixture kernel) : RunnerTestBase(kernel)
{
    // The setup cell of every tutorial notebook, with the library loaded from where this test run built it.
    private static string Setup => $"""
        #r "nuget: TorchSharp-cpu, 0.107.0"
        #r "nuget: SkiaSharp, 3.119.4"
        #r "nuget: SkiaSharp.NativeAssets.Linux.NoDependencies, 3.119.4"
        #r "nuget: Plotly.NET, 6.0.0"
        #r "{ArchGanDll}"
        using ArchGan;
        using ArchGan.Data;
        using ArchGan.Display;
        using ArchGan.Model;
        using ArchGan.Platform;
        using ArchGan.Training;
        using TorchSharp;
        NotebookSetup.Check()
        """;

    private static string Html(JsonObject output) => Lines(output["data"]!["text/html"]);

    [Fact]
    public async Task The_setup_cell_loads_the_library_and_shows_what_the_kernel_runs()
    {
        var (result, saved) = await RunAsync(new TestNotebook().Code(Setup));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var table = Html(Outputs(saved, 0).Select(o => o!.AsObject()).Last(o => o["output_type"]!.GetValue<string>() == "execute_result"));
        Assert.Contains("What this kernel runs", table);
        Assert.Contains(">0.107.0<", table);
        Assert.Contains(">3.119.4<", table);
        Assert.DoesNotContain(Path.GetTempPath(), table); // no machine paths in a saved notebook
    }

    [Fact]
    public async Task TorchSharp_modules_built_directly_in_a_cell_work_after_the_setup()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code(Setup)
            .Code("var conv = torch.nn.ConvTranspose2d(16, 8, 5, stride: 2, padding: 2, output_padding: 1);\nstring.Join(\" x \", conv.call(torch.zeros(1, 16, 8, 8)).shape)"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("1 x 8 x 16 x 16", Lines(Only(Outputs(saved, 1))["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Plotly_charts_render_beside_the_kernels_older_FSharp_Core_through_the_binding()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code(Setup)
            .Code("TutorialPlots.Lines(\"t\", \"x\", \"y\", (\"a line\", new[] { 1.0, 2, 3 }, new[] { 3.0, 1, 2 }))")
            .Code("$\"{typeof(Microsoft.FSharp.Core.Unit).Assembly.GetName().Version} {FSharpCoreBinding.Unified}\""));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var chart = Html(Only(Outputs(saved, 1)));
        Assert.Contains("Plotly.newPlot", chart);
        Assert.Contains("a line", chart);
        // The kernel's FSharp.Core is older than the one Plotly.NET was built against, and the binding answered it:
        // if a kernel ever ships a matching one, this says the binding is no longer what makes charts work.
        var versions = Lines(Only(Outputs(saved, 2))["data"]!["text/plain"]).Split(' ');
        Assert.StartsWith("10.0.", versions[0]);
        Assert.True(int.Parse(versions[1]) > 0, "no FSharp.Core request went through FSharpCoreBinding");
    }

    [Fact]
    public async Task Every_library_type_a_notebook_shows_is_html_in_the_kernel()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code(Setup)
            .Code("""
                var tiny = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4, SampleCount = 4 };
                var history = new TrainingHistory();
                for (var i = 0; i < 8; i++) history.Add(new StepResult(1.4f - i * 0.1f, 0.7f + i * 0.1f, 0.6f, 0.4f));
                var facades = Facades.Generate(4, 32);
                display(facades);
                display(new SampleGrid(facades, title: "a grid"));
                display(history);
                display(ModelSummary.Of(new Generator(tiny), tiny.LatentSize));
                display(Plots.Losses(history).Inline());
                display(new TrainingDashboard(history, facades, "epoch 1/1"));
                display(new[] { new { Name = "a", Value = 1 } }.ToTable());
                """));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var outputs = Outputs(saved, 1).Select(o => o!.AsObject()).ToList();
        Assert.Equal(7, outputs.Count);
        Assert.All(outputs, o => Assert.NotNull(o["data"]!["text/html"]));
        Assert.Contains("<img src=\"data:image/png;base64,", Html(outputs[0]));
        Assert.Contains("a grid", Html(outputs[1]));
        Assert.Contains("Plotly.newPlot", Html(outputs[2]));
        Assert.StartsWith("<table", Html(outputs[3]));
        Assert.Contains("Plotly.newPlot", Html(outputs[4]));
        Assert.Contains("epoch 1/1", Html(outputs[5]));
        Assert.StartsWith("<table", Html(outputs[6]));
    }

    [Fact]
    public async Task A_kernel_that_dies_fails_the_running_cell_with_a_message_instead_of_hanging()
    {
        await using var own = await KernelProcess.StartAsync(Temp.Path);
        var path = new TestNotebook()
            .Code("Console.WriteLine(\"alive\");")
            .Code("Environment.Exit(3);")
            .Code("Console.WriteLine(\"never\");")
            .WriteTo(Temp.Path, "dies.ipynb");

        var result = await new NotebookRunner().RunAsync(path, new NotebookRunOptions { OutputDirectory = Temp.File("out") }, own);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.FailedCellIndex);
        Assert.Contains("kernel process exited", result.ErrorMessage);
        Assert.True(own.HasExited);
    }

    // A write of the trainer that fails in a cell (a folder where losses.html goes stands in for a full disk, which
    // FullDiskTests fills for real) is the cell's error: the exception's name, and its one sentence as the text.
    [Fact]
    public async Task A_run_file_that_cannot_be_written_is_one_clear_cell_error()
    {
        var run = Temp.File("run");
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code(Setup)
            .Code($$"""
                System.IO.Directory.CreateDirectory(System.IO.Path.Combine("{{run}}", "losses.html"));
                var tiny = Hyperparameters.Quick with { ImageSize = 32, Width = 0.125, BatchSize = 4, SampleCount = 4, Epochs = 1, Precision = Precision.Float32 };
                new GanTrainer(tiny, Facades.Generate(8, 32), "{{run}}").Train();
                """));

        Assert.False(result.Succeeded);
        var error = Outputs(saved, 1).Select(o => o!.AsObject()).Last(o => o["output_type"]!.GetValue<string>() == "error");
        Assert.Equal("RunWriteException", error["ename"]!.GetValue<string>());
        var text = error["evalue"]!.GetValue<string>();
        Assert.StartsWith($"Could not write {run}/losses.html: ", text);
        Assert.EndsWith($"The last checkpoint, {run}/checkpoint.ckpt, is whole: resume from it.", text);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.ckpt")));
    }
}
