namespace ArchGan.Training;

/// <summary>A checkpoint file is missing, truncated, foreign, or does not fit the run it is given to. The message names the file.</summary>
public sealed class CheckpointException : IOException
{
    public CheckpointException(string path, string problem, Exception? inner = null)
        : base($"Checkpoint {path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }
}
