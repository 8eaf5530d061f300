namespace ArchGan.Training;

/// <summary>A checkpoint file is missing, truncated, damaged, foreign, or does not fit the run it is given to. The message names the file.</summary>
public sealed class CheckpointException : IOException
{
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong with it, as a sentence.</param>
    /// <param name="inner">The error that revealed it, if any.</param>
    /// <param name="part">The entry of the file that failed (<c>generator.bin</c>, …), where one did.</param>
    /// <param name="damaged">
    /// True where the file's bytes are not those that were written (a checksum that does not match, a zip
    /// structure that does not hold, a file cut short): a backup of the run may then stand in for it. False
    /// for a file that is whole but cannot be used here (missing, foreign, from a newer ArchGan, another run's).
    /// </param>
    public CheckpointException(string path, string problem, Exception? inner = null, string? part = null, bool damaged = false)
        : base($"Checkpoint {path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
        Part = part;
        Damaged = damaged;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it: the message without the file's name.</summary>
    public string Problem { get; }

    /// <summary>The entry of the file that failed, or null where the file failed as a whole.</summary>
    public string? Part { get; }

    /// <summary>
    /// The file's bytes are not those that were written: resuming a run folder passes over it to the newest
    /// whole backup (see <see cref="TrainingRun.Resume(string, int?, string?, DataSource?)"/>).
    /// </summary>
    public bool Damaged { get; }
}
