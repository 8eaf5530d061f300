using ArchGan.Data;
using ArchGan.Training;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>Turns the library's "you gave me something wrong" exceptions into one red line and exit code 1.</summary>
internal static class CliErrors
{
    public const int Failed = 1;
    public const int Cancelled = 130; // the shell's convention for "ended by Ctrl+C"

    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is HyperparameterException or CheckpointException or DatasetException
                                      or DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Failed;
        }
    }

    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));
}
