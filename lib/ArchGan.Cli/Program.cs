using System.CommandLine;
using ArchGan.Cli.Commands;

var root = new RootCommand("""
    ArchGan: train a DCGAN that generates images of architecture, the C# companion of the article
    "How to generate unique architectures using GANs". With no data folder it trains on procedurally drawn facades.
    """)
{
    PrepareCommand.Create(),
    FacadesCommand.Create(),
    TrainCommand.Create(),
    SampleCommand.Create(),
    NotebooksCommand.Create(),
};

// The commands handle Ctrl+C themselves (a checkpoint must be written before exiting), so the parser
// must not end the process on its own.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
