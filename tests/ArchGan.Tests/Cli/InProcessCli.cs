using ArchGan.Cli.Commands;

namespace ArchGan.Tests.Cli;

/// <summary>
/// Runs the archgan command in this process with Console and Spectre captured. Tests that use it belong to
/// the <see cref="ConsoleCapture"/> collection, since Console is process-wide.
/// </summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var writer = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(writer),
                Ansi = Spectre.Console.AnsiSupport.No,
                Interactive = Spectre.Console.InteractionSupport.No,
            });
            Spectre.Console.AnsiConsole.Console.Profile.Width = 400; // no wrapping inside the messages we assert on
            var code = await ArchGanCommand.RunAsync(args);
            return (code, writer.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    /// <summary>The bytes of one entry of a checkpoint zip, to compare two runs exactly.</summary>
    public static byte[] CheckpointEntry(string checkpoint, string name)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(checkpoint);
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
