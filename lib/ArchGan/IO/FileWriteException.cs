using System.Text.RegularExpressions;

namespace ArchGan.IO;

/// <summary>
/// A file could not be written: the disk is full, the folder is read-only, or something stands in the way.
/// <see cref="AtomicFile"/> throws it so that what a user reads names the file they asked for, not the temporary
/// file the system failed on, with the system's reason, in one sentence that a command line prints as it is and a
/// notebook shows as its cell's error. The file itself is as it was before the write.
/// </summary>
public sealed partial class FileWriteException : IOException
{
    /// <param name="path">The file that was to be written.</param>
    /// <param name="cause">The system's exception.</param>
    public FileWriteException(string path, Exception cause)
        : base($"Could not write {path}: {ReasonOf(cause)}.", cause)
    {
        Path = path;
        Reason = ReasonOf(cause);
        HResult = cause.HResult;
    }

    /// <summary>The file that was to be written.</summary>
    public string Path { get; }

    /// <summary>The system's reason, such as "No space left on device", without the path it was reported for.</summary>
    public string Reason { get; }

    /// <summary>
    /// The first line of <paramref name="e"/>'s message without the <c> : 'path'</c> that .NET appends on Unix
    /// (the path is of the temporary file, which no longer exists), and without its closing full stop.
    /// </summary>
    public static string ReasonOf(Exception e)
    {
        var first = e.Message.Split('\n', 2)[0].Trim();
        var match = TrailingPath().Match(first);
        var reason = match.Success ? match.Groups["reason"].Value : first;
        return reason.TrimEnd('.', ' ');
    }

    [GeneratedRegex(@"^(?<reason>.+?) : '.*'$")]
    private static partial Regex TrailingPath();
}
