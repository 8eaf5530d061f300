using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace ArchGan.Cli.Commands;

/// <summary>The root <c>archgan</c> command with all its subcommands.</summary>
public static class ArchGanCommand
{
    public static RootCommand Create() => new("""
        ArchGan: train a DCGAN that generates images of architecture, the C# companion of the article
        "How to generate unique architectures using GANs". With no data folder it trains on procedurally drawn facades.
        """)
    {
        PrepareCommand.Create(),
        FacadesCommand.Create(),
        TrainCommand.Create(),
        SampleCommand.Create(),
        EvaluateCommand.Create(),
        NotebooksCommand.Create(),
        BenchCommand.Create(),
        CompareCommand.Create(),
    };

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Create().Parse(args);
        // The commands handle Ctrl+C themselves (a checkpoint must be written before exiting), so the parser
        // must not end the process on its own.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        if (parsed.Action is not ParseErrorAction onError)
            return await parsed.InvokeAsync(invocation);

        // A mistyped option gets its error and a pointer to the help, not the whole help: a page of options
        // after the error line scrolls it out of sight.
        onError.ShowHelp = false;
        var code = await parsed.InvokeAsync(invocation);
        Console.Error.WriteLine($"See '{CommandPath(parsed.CommandResult)} --help' for the options.");
        return code;
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? node = command; node is CommandResult c; node = c.Parent)
            names.Insert(0, c.Parent is null ? "archgan" : c.Command.Name);
        return string.Join(' ', names);
    }
}
