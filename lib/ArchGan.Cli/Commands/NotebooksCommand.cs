using System.CommandLine;
using ArchGan.Notebooks;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan notebooks run</c>: executes the tutorial's notebooks headlessly in the real .NET Interactive kernel
/// (the dotnet-interactive tool of the repository's tool manifest), cell by cell, and saves their outputs in the
/// Polyglot Notebooks format. Ctrl+C stops the running cell as Stop does in VS Code.
/// </summary>
internal static class NotebooksCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Notebook files or folders (a folder means its *.ipynb, in name order). Default: notebooks/.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var parameters = new Option<string[]>("--param")
        {
            Description = "name=value: overrides a variable of the notebook's parameters cell (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--out", "-o") { Description = "Write executed notebooks into this folder." };
        var inplace = new Option<bool>("--inplace") { Description = "Write outputs back into the notebooks themselves." };
        var smoke = new Option<bool>("--smoke") { Description = "Use each notebook's small test values (its metadata archgan.smoke), for a fast check." };
        var run = new Command("run", "Execute notebooks in the .NET Interactive kernel, headlessly, and save their outputs.") { paths, parameters, output, inplace, smoke };
        run.SetAction((result, cancel) => CliErrors.Run(async () =>
        {
            var options = new NotebookRunOptions
            {
                Smoke = result.GetValue(smoke),
                OutputDirectory = result.GetValue(output),
                InPlace = result.GetValue(inplace),
            };
            foreach (var pair in result.GetValue(parameters) ?? Array.Empty<string>())
            {
                var at = pair.IndexOf('=');
                if (at <= 0) throw new HyperparameterException("--param", pair, "name=value");
                options.Parameters[pair[..at]] = pair[(at + 1)..];
            }
            var runner = new NotebookRunner();
            runner.Progress += (_, e) => Report(e);
            var files = result.GetValue(paths) is { Length: > 0 } given ? given : new[] { "notebooks" };
            var results = await runner.RunManyAsync(files, options, cancel);
            foreach (var r in results)
                AnsiConsole.MarkupLine(r.Succeeded
                    ? $"[green]ok[/]     {Markup.Escape(r.Path)}  ({r.Elapsed.TotalSeconds:F1} s){(r.OutputPath is null ? "" : " → " + Markup.Escape(r.OutputPath))}"
                    : r.Cancelled ? $"[yellow]stopped[/] {Markup.Escape(r.Path)}{(r.OutputPath is null ? "" : " → " + Markup.Escape(r.OutputPath))}"
                    : $"[red]failed[/] {Markup.Escape(r.Path)}  {Markup.Escape(r.ErrorMessage ?? "")}");
            return results.Any(r => r.Cancelled) ? CliErrors.Cancelled : results.All(r => r.Succeeded) ? 0 : CliErrors.Failed;
        }));
        return new Command("notebooks", "Run the tutorial's Polyglot notebooks headlessly in the .NET Interactive kernel.") { run };
    }

    private static void Report(NotebookProgressEventArgs e)
    {
        var name = Path.GetFileName(e.NotebookPath);
        switch (e.Status)
        {
            case NotebookProgressStatus.NotebookStarted:
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(name)}[/]");
                break;
            case NotebookProgressStatus.CellStarted:
                AnsiConsole.Markup($"  cell {e.CellIndex + 1}/{e.CellCount} ... ");
                break;
            case NotebookProgressStatus.CellSucceeded:
                AnsiConsole.MarkupLine($"{e.Elapsed.TotalSeconds:F1} s");
                break;
            case NotebookProgressStatus.CellFailed:
                AnsiConsole.MarkupLine($"[red]error[/] {Markup.Escape(e.Message ?? "")}");
                break;
        }
    }
}
