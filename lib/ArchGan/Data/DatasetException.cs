namespace ArchGan.Data;

/// <summary>
/// Thrown when a folder of images cannot be used at all: it does not exist, or none of its files could be loaded.
/// Single broken files never throw; they are skipped and listed in <see cref="LoadReport.Skipped"/>.
/// </summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception for <paramref name="folder"/>.</summary>
    public DatasetException(string message, string folder, Exception? innerException = null)
        : base(message, innerException)
    {
        Folder = folder;
    }

    /// <summary>The folder that was asked for, as given by the caller.</summary>
    public string Folder { get; }
}
