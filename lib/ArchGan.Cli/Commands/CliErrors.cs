using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Cli.Commands;

/// <summary>
/// Turns the library's "you gave me something wrong" exceptions, and its "training stopped, the last checkpoint
/// stands" ones, into one line and exit code 1.
/// </summary>
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
        // ArgumentException last: the library's own checks of what it is given (a count, a size) say what was
        // wrong in their messages; the options are bounded at parsing, so these are cases the bounds do not see.
        catch (Exception e) when (e is HyperparameterException or CheckpointException or DatasetException
                                      or TrainingDivergedException or TrainingFailedException
                                      or ArchGan.Notebooks.KernelException or ArchGan.Notebooks.NotebookFormatException
                                      or DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException
                                      or ArgumentException)
        {
            // Plain text on stderr, unwrapped, so scripts and CI logs can read it.
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }

    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));
}
