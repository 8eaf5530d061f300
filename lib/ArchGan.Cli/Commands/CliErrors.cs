using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Cli.Commands;

/// <summary>
/// Turns the library's "you gave me something wrong" exceptions, its "training stopped, the last checkpoint
/// stands" ones, and the system's refusals to read or write a file (a full disk above all), into one line and
/// exit code 1. Anything else is a fault of the program, and keeps its stack trace.
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
        // IOException: a file that is missing or cannot be written. RunWriteException and FileWriteException name the
        // file meant and the reason; a plain one names its file in the message, as .NET writes it.
        // ArgumentException last: the library's own checks of what it is given (a count, a size) say what was
        // wrong in their messages; the options are bounded at parsing, so these are cases the bounds do not see.
        catch (Exception e) when (e is HyperparameterException or CheckpointException or DatasetException
                                      or TrainingDivergedException or TrainingFailedException
                                      or ArchGan.Notebooks.KernelException or ArchGan.Notebooks.NotebookFormatException
                                      or IOException or UnauthorizedAccessException
                                      or ArgumentException)
        {
            // Plain text on stderr, unwrapped, so scripts and CI logs can read it.
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }

    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));
}
