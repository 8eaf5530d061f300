using ArchGan.Data;
using ArchGan.Training;

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
        catch (Exception e) when (e is HyperparameterException or CheckpointException or DatasetException or TrainingDivergedException
                                      or DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException)
        {
            // Plain text on stderr, unwrapped, so scripts and CI logs can read it.
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }

    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));
}
