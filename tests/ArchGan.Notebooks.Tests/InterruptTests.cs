using System.Text.Json.Nodes;
using ArchGan.Training;

namespace ArchGan.Notebooks.Tests;

/// <summary>
/// Stop and interrupt in the real kernel, and broken copies of a tutorial notebook. Stop is the kernel's Cancel
/// command, which VS Code sends for its Stop button and the runner for Ctrl+C; Jupyter's interrupt is SIGINT to the
/// kernel's process group. Either way training ends at its next batch with a checkpoint, and the kernel answers the
/// next cell.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private TempFolder Temp { get; } = new();

    public void Dispose() => Temp.Dispose();

    private static string Notebooks => Path.Combine(TutorialNotebookTests.RepositoryRoot(), "notebooks");

    [Fact]
    public async Task Stop_during_training_leaves_a_resumable_checkpoint_and_a_kernel_that_answers()
    {
        var runs = Temp.File("runs");
        var options = new NotebookRunOptions { Smoke = true, OutputDirectory = Temp.File("out") };
        options.Parameters["RunsFolder"] = runs;
        options.Parameters["Epochs"] = "500"; // far longer than the test waits
        var notebook = Notebook.Load(Path.Combine(Notebooks, "07-training.ipynb"));
        var trainingCell = notebook.Cells.FindIndex(c => c.IsCode && c.Source.Contains("trainer.Train(", StringComparison.Ordinal));
        await using var kernel = await KernelProcess.StartAsync(Notebooks);
        using var stop = new CancellationTokenSource();
        var runner = new NotebookRunner();
        var trainingStarted = 0;
        runner.Progress += (_, e) =>
        {
            // +1: the injected parameters cell comes before the training cell in the executed notebook.
            if (e.Status == NotebookProgressStatus.CellStarted && e.CellIndex == trainingCell + 1 && Interlocked.Exchange(ref trainingStarted, 1) == 0)
                stop.CancelAfter(TimeSpan.FromSeconds(15));
        };

        var result = await runner.RunAsync(Path.Combine(Notebooks, "07-training.ipynb"), options, kernel, stop.Token);

        Assert.True(result.Cancelled, result.ErrorMessage);
        Assert.Equal(trainingCell + 1, result.FailedCellIndex);
        var checkpoint = Checkpoint.Latest(Path.Combine(runs, "notebook-07"));
        Assert.NotNull(checkpoint);
        var info = Checkpoint.ReadInfo(checkpoint!);
        Assert.InRange(info.Iteration, 1, 500 * 4 - 1); // saved where it stopped, not at the end
        Assert.False(kernel.HasExited);
        var answered = new List<KernelEvent>();
        var next = await kernel.SubmitCodeAsync("$\"{trainer.Iteration} {trainer.Epoch}\"", "csharp", answered.Add);
        Assert.True(next.Succeeded, next.Message);
        var value = Assert.Single(answered, e => e.Type == "ReturnValueProduced").FormattedValues()["text/plain"];
        Assert.Equal($"{info.Iteration} {info.Epoch}", value);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        var error = saved["cells"]![trainingCell + 1]!["outputs"]!.AsArray().Last()!;
        Assert.Equal("Cancelled", error["ename"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a kernel of a Jupyter started in the background, which inherits SIGINT ignored
    public async Task A_Jupyter_interrupt_during_training_leaves_a_resumable_checkpoint_and_a_kernel_that_answers(bool sigIntIgnored)
    {
        var runs = Temp.File("runs");
        var notebook = Notebook.Load(Path.Combine(Notebooks, "07-training.ipynb"));
        var smoke = notebook.Metadata["archgan"]!["smoke"]!.AsObject();
        // The smoke values, far more epochs than the test waits for, and runs in the test's folder.
        var parameters = string.Join(" ", smoke.Where(p => p.Key != "Epochs").Select(p => $"{p.Key} = {p.Value!.ToJsonString()};"))
            + $" Epochs = 500; RunsFolder = {System.Text.Json.JsonSerializer.Serialize(runs)};";
        await using var kernel = await JupyterKernel.StartAsync(Notebooks, Temp.Path, sigIntIgnored);
        var minute = TimeSpan.FromMinutes(3);
        const string ignoresSigInt =
            "$\"{(System.Convert.ToUInt64(System.Array.Find(System.IO.File.ReadAllLines(\"/proc/self/status\"), l => l.StartsWith(\"SigIgn:\"))[7..].Trim(), 16) & 2) != 0}\"";
        if (sigIntIgnored) // the case is what it says
        {
            var ignoring = kernel.Execute(ignoresSigInt, minute);
            Assert.True(ignoring.Result == "True", ignoring.ToString());
        }

        foreach (var cell in notebook.Cells.Where(c => c.IsCode).TakeWhile(c => !c.Source.Contains("trainer.Train(", StringComparison.Ordinal)))
        {
            var ran = kernel.Execute(cell.Source, minute);
            Assert.True(ran.Idle && ran.Errors.Count == 0, $"{cell.Source.Split('\n')[0]}: {ran}\n{kernel.Log}");
            if (cell.HasTag("parameters")) Assert.Empty(kernel.Execute(parameters, minute).Errors);
        }
        var setup = notebook.Cells.First(c => c.IsCode);
        var training = notebook.Cells.First(c => c.IsCode && c.Source.Contains("trainer.Train(", StringComparison.Ordinal));
        var interrupted = false;
        var updates = 0;
        var trained = kernel.Execute(training.Source, TimeSpan.FromMinutes(5), message =>
        {
            // Interrupt once training is under way: after the dashboard's third update.
            if (!interrupted && message["header"]!["msg_type"]!.GetValue<string>() == "update_display_data" && ++updates == 3)
            {
                interrupted = true;
                kernel.Interrupt();
            }
        });

        Assert.True(interrupted, trained.ToString());
        Assert.False(kernel.HasExited, "the interrupt ended the kernel: " + kernel.Log);
        Assert.True(trained.Idle, trained.ToString());
        Assert.Empty(trained.Errors);
        if (trained.Result?.StartsWith("Cancelled after", StringComparison.Ordinal) != true)
        {
            // Whether the kernel had taken SIGINT over, and how its process treats the signal (SigIgn, SigCgt masks).
            var why = kernel.Execute(
                "$\"installed {JupyterInterrupt.Installed}; {string.Join(\", \", File.ReadAllLines(\"/proc/self/status\").Where(l => l.StartsWith(\"Sig\")))}\"", minute);
            Assert.Fail($"the interrupt did not stop training: {trained.Result}\n{why.Result}\n{kernel.Log}");
        }
        var checkpoint = Checkpoint.Latest(Path.Combine(runs, "notebook-07"));
        Assert.NotNull(checkpoint);
        var info = Checkpoint.ReadInfo(checkpoint!);
        Assert.InRange(info.Iteration, 1, 500 * 4 - 1); // saved where it stopped, not at the end
        var state = kernel.Execute("$\"{trainer.Iteration} {trainer.Epoch} {KernelCancellation.Token.IsCancellationRequested}\"", minute);
        Assert.Equal($"{info.Iteration} {info.Epoch} False", state.Result); // the kernel answers, and the interrupt is spent
        // Running the setup cell again keeps the interrupt taken over.
        Assert.Empty(kernel.Execute(setup.Source, minute).Errors);
        Assert.Equal("True", kernel.Execute("$\"{JupyterInterrupt.Installed}\"", minute).Result);
        Assert.Equal("False", kernel.Execute(ignoresSigInt, minute).Result);
    }

    [Theory]
    [InlineData("throw new InvalidOperationException(\"a broken cell\");", "InvalidOperationException", "a broken cell")]
    [InlineData("var broken = notDeclaredAnywhere * 2;", "CompilationError", "notDeclaredAnywhere")]
    public async Task A_broken_copy_of_a_tutorial_notebook_is_reported_at_its_cell(string code, string errorName, string message)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Notebooks, "04-discriminator.ipynb")))!.AsObject();
        var cells = root["cells"]!.AsArray();
        // The copy lives elsewhere: point its #r at the library by absolute path.
        var setup = cells.First(c => c!["cell_type"]!.GetValue<string>() == "code")!;
        setup["source"] = JsonValue.Create(RunnerTestBase.Lines(setup["source"]).Replace("../lib/ArchGan/bin/Debug/net8.0/ArchGan.dll", RunnerTestBase.ArchGanDll));
        var parameters = cells.Select((c, i) => (c, i)).First(p => p.c!["metadata"]!["tags"]?.ToJsonString().Contains("\"parameters\"") == true).i;
        var broken = NotebookCell.CreateCSharpCode("broken-cell", code);
        cells.Insert(parameters + 2, broken.Json.DeepClone());
        var path = Path.Combine(Temp.Path, "04-broken.ipynb");
        File.WriteAllText(path, root.ToJsonString());

        var result = await new NotebookRunner().RunAsync(path, new NotebookRunOptions { OutputDirectory = Temp.File("out") });

        Assert.False(result.Succeeded);
        Assert.Equal(parameters + 2, result.FailedCellIndex);
        Assert.Equal("broken-cell", result.FailedCellId);
        Assert.Contains(message, result.ErrorMessage);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        var failed = saved["cells"]![parameters + 2]!["outputs"]!.AsArray();
        Assert.Equal(errorName, failed.Last()!["ename"]!.GetValue<string>());
        Assert.NotNull(saved["cells"]![parameters]!["execution_count"]);
        Assert.All(saved["cells"]!.AsArray().Skip(parameters + 3).Where(c => c!["cell_type"]!.GetValue<string>() == "code"),
            c => Assert.Empty(c!["outputs"]!.AsArray()));
    }
}
