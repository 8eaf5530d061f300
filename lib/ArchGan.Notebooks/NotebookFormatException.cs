namespace ArchGan.Notebooks;

/// <summary>
/// Thrown when a file cannot be run as a C# notebook: it is not valid JSON, not nbformat 4, or not a
/// .NET Interactive C# notebook. The message always names the file.
/// </summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a reason.</summary>
    public NotebookFormatException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
    }

    /// <summary>The notebook file that was rejected.</summary>
    public string Path { get; }
}
