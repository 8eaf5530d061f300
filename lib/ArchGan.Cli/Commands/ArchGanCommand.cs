using System.CommandLine;

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
    public static Task<int> RunAsync(string[] args) =>
        // The commands handle Ctrl+C themselves (a checkpoint must be written before exiting), so the parser
        // must not end the process on its own.
        Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
