using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

public sealed class ExecutionTests(KernelFixture kernel) : RunnerTestBase(kernel)
{
    [Fact]
    public async Task Last_expression_without_semicolon_is_the_cell_result_and_with_one_is_not()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("var x = 20;\nx + 22")
            .Code("Math.Max(x, 1);")
            .Code("\"hello\"")
            .Code("Math.Max(x, 1)"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var value = Only(Outputs(saved, 0));
        Assert.Equal("execute_result", value["output_type"]!.GetValue<string>());
        Assert.Equal(1, value["execution_count"]!.GetValue<int>());
        Assert.Contains("42", Lines(value["data"]!["text/html"]));
        Assert.Empty(Outputs(saved, 1));
        // Without the semicolon the same call is shown.
        Assert.Contains("20", Lines(Only(Outputs(saved, 3))["data"]!["text/html"]));
        Assert.Equal(2, Cell(saved, 1)["execution_count"]!.GetValue<int>());
        // Strings are text/plain in the kernel, other values text/html.
        var text = Only(Outputs(saved, 2));
        Assert.Equal("hello", Lines(text["data"]!["text/plain"]));
        Assert.Null(text["data"]!["text/html"]);
    }

    [Fact]
    public async Task A_null_result_shows_as_null_and_a_void_call_shows_nothing()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("string s = null;\ns")
            .Code("System.Threading.Thread.Sleep(1)"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Contains("&lt;null&gt;", Lines(Only(Outputs(saved, 0))["data"]!["text/html"]));
        Assert.Empty(Outputs(saved, 1));
    }

    [Fact]
    public async Task Console_output_is_captured_as_streams_in_order_with_displays()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("Console.WriteLine(\"one\");\nConsole.Write(\"two\\n\");\nConsole.Error.WriteLine(\"oops\");\ndisplay(\"shown\");\nConsole.WriteLine(\"three\");"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var outputs = Outputs(saved, 0);
        Assert.Equal(4, outputs.Count);
        Assert.Equal("stream", outputs[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("stdout", outputs[0]!["name"]!.GetValue<string>());
        Assert.Equal(new[] { "one\n", "two\n" }, outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("stderr", outputs[1]!["name"]!.GetValue<string>());
        Assert.Equal("oops\n", Lines(outputs[1]!["text"]));
        Assert.Equal("display_data", outputs[2]!["output_type"]!.GetValue<string>());
        Assert.Equal("shown", Lines(outputs[2]!["data"]!["text/plain"]));
        Assert.Equal("three\n", Lines(outputs[3]!["text"]));
    }

    [Fact]
    public async Task Updates_of_a_display_leave_one_output_with_the_final_value_in_place()
    {
        // The kernel's own handle (what TrainingDashboard uses): its updates carry the display's value id.
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("using Microsoft.DotNet.Interactive;\nConsole.WriteLine(\"before\");\nvar shownByContext = KernelInvocationContext.Current.Display(\"step 0\", \"text/plain\");\nfor (var i = 1; i <= 200; i++) shownByContext.Update($\"step {i}\");\nConsole.WriteLine(\"after\");")
            .Code("shownByContext.Update(\"final\");"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var outputs = Outputs(saved, 0);
        Assert.Equal(3, outputs.Count);
        Assert.Equal("before\n", Lines(outputs[0]!["text"]));
        Assert.Equal("display_data", outputs[1]!["output_type"]!.GetValue<string>());
        // Updated from the next cell too: the output stays where it was displayed.
        Assert.Equal("final", Lines(outputs[1]!["data"]!["text/plain"]));
        Assert.Equal("after\n", Lines(outputs[2]!["text"]));
        Assert.Empty(Outputs(saved, 1));
    }

    [Fact]
    public async Task An_update_the_kernel_sends_for_no_displayed_value_is_ignored_as_VS_Code_and_Jupyter_ignore_it()
    {
        // In dotnet-interactive 1.0.712001, display(x) returns a handle whose updates carry a new value id, so
        // they reach no output; the runner shows what a reader sees, the first value, and notes the lost update.
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("var shownByDisplay = display(\"first\");\nshownByDisplay.Update(\"second\");"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("first", Lines(Only(Outputs(saved, 0))["data"]!["text/plain"]));
        Assert.Contains(result.Notes, n => n.Contains("cell 0") && n.Contains("never displayed"));
    }

    [Fact]
    public async Task Display_of_an_object_is_html_and_explicit_mime_types_are_honored()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("display(new List<int> { 1, 2, 3 });\ndisplay(42, \"text/plain\");\ndisplay(HTML(\"<b>bold</b>\"));"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var outputs = Outputs(saved, 0);
        Assert.Equal(3, outputs.Count);
        Assert.NotNull(outputs[0]!["data"]!["text/html"]);
        Assert.Equal("42", Lines(outputs[1]!["data"]!["text/plain"]));
        Assert.Equal("<b>bold</b>", Lines(outputs[2]!["data"]!["text/html"]));
    }

    [Fact]
    public async Task A_compile_error_is_an_error_output_and_reports_its_cell_index()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Markdown("# Title")
            .Code("var ok = 1;")
            .Code("var broken = undefinedName + 1;")
            .Code("Console.WriteLine(\"never\");"));

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCellIndex);
        Assert.Equal("cell-2", result.FailedCellId);
        Assert.Contains("CS0103", result.ErrorMessage);
        var error = Only(Outputs(saved, 2));
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Contains("undefinedName", error["evalue"]!.GetValue<string>());
        Assert.NotEmpty(error["traceback"]!.AsArray());
        Assert.Empty(Outputs(saved, 3));
        Assert.Null(Cell(saved, 3)["execution_count"]);
    }

    [Fact]
    public async Task A_thrown_exception_stops_the_notebook_and_the_runner_moves_on_to_the_next()
    {
        new TestNotebook()
            .Code("Console.WriteLine(\"first\");")
            .Code("throw new InvalidOperationException(\"boom\");")
            .Code("Console.WriteLine(\"not reached\");")
            .WriteTo(Temp.Path, "a-fails.ipynb");
        new TestNotebook()
            .Code("Console.WriteLine(\"b ran\");")
            .WriteTo(Temp.Path, "b-succeeds.ipynb");
        var progress = new List<NotebookProgressEventArgs>();
        var runner = new NotebookRunner();
        runner.Progress += (_, e) => progress.Add(e);

        var results = await runner.RunManyAsync(new[] { Temp.Path }, new NotebookRunOptions { OutputDirectory = Temp.File("out") });

        Assert.Equal(2, results.Count);
        Assert.False(results[0].Succeeded);
        Assert.Equal(1, results[0].FailedCellIndex);
        Assert.Contains("boom", results[0].ErrorMessage);
        Assert.True(results[1].Succeeded, results[1].ErrorMessage);
        var a = JsonNode.Parse(File.ReadAllText(results[0].OutputPath!))!.AsObject();
        var error = Only(Outputs(a, 1));
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        Assert.Contains(error["traceback"]!.AsArray(), line => line!.GetValue<string>().Contains("boom"));
        Assert.Empty(Outputs(a, 2));
        var b = JsonNode.Parse(File.ReadAllText(results[1].OutputPath!))!.AsObject();
        Assert.Equal("b ran\n", Lines(Outputs(b, 0)[0]!["text"]));
        Assert.Contains(progress, e => e.Status == NotebookProgressStatus.CellFailed && e.CellIndex == 1 && e.NotebookPath.EndsWith("a-fails.ipynb"));
        Assert.Contains(progress, e => e.Status == NotebookProgressStatus.NotebookSucceeded && e.NotebookPath.EndsWith("b-succeeds.ipynb"));
    }

    [Fact]
    public async Task Relative_paths_resolve_against_the_notebook_folder_and_the_runner_keeps_its_own_directory()
    {
        File.WriteAllText(Temp.File("data.txt"), "from the notebook folder");
        var before = Environment.CurrentDirectory;
        var path = new TestNotebook().Code("System.IO.File.ReadAllText(\"data.txt\")").WriteTo(Temp.Path, "relative.ipynb");

        // A kernel of its own, started in the notebook's folder as VS Code and Jupyter start it.
        var result = await new NotebookRunner().RunAsync(path, new NotebookRunOptions { OutputDirectory = Temp.File("out") });

        Assert.True(result.Succeeded, result.ErrorMessage);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        Assert.Equal("from the notebook folder", Lines(Outputs(saved, 0)[0]!["data"]!["text/plain"]));
        Assert.Equal(before, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task Magic_commands_and_cells_of_other_kernels_run_in_the_kernel()
    {
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("#!time\nConsole.WriteLine(\"timed\");")
            .Code("printfn \"hello from F#\"", "fsharp")
            .Markdown("Some *markdown*"));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("timed\n", Lines(Outputs(saved, 0)[0]!["text"]));
        Assert.Contains(Outputs(saved, 0), o => o!["data"]?["text/plain"] is { } t && Lines(t).StartsWith("Wall time:"));
        Assert.Equal("hello from F#\n", Lines(Only(Outputs(saved, 1))["text"]));
        Assert.Equal("Some *markdown*", Lines(Cell(saved, 2)["source"]));
        Assert.Null(Cell(saved, 2)["outputs"]);
    }

    [Fact]
    public async Task Formatters_declared_by_name_with_TypeFormatterSourceAttribute_are_used_for_display()
    {
        // The convention the ArchGan library uses: no package reference, the Formatter finds the attribute by name.
        var (result, saved) = await RunAsync(new TestNotebook()
            .Code("""
                class TypeFormatterSourceAttribute : Attribute
                {
                    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;
                    public Type FormatterSourceType { get; }
                    public string[] PreferredMimeTypes { get; set; }
                }
                class WidgetFormatter
                {
                    public string MimeType => "text/html";
                    public Type Type => typeof(Widget);
                    public bool Format(object value, System.IO.TextWriter writer) { writer.Write("<i>a widget</i>"); return true; }
                }
                class WidgetFormatterSource
                {
                    public IEnumerable<object> CreateTypeFormatters() { yield return new WidgetFormatter(); }
                }
                [TypeFormatterSource(typeof(WidgetFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
                class Widget { }
                display(new Widget());
                """));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("<i>a widget</i>", Lines(Only(Outputs(saved, 0))["data"]!["text/html"]));
    }
}
