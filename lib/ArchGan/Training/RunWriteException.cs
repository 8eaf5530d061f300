namespace ArchGan.Training;

/// <summary>
/// A file of a training run could not be written (a full disk, a read-only folder, something in the way of a
/// grid, <c>losses.html</c>, the checkpoint or one of its backups), so training stopped: going on would spend
/// hours on a run that keeps nothing. The checkpoint of an epoch is written before its grids and curves, which
/// can be drawn again from it, so a failure to draw one never costs it; <see cref="LastCheckpoint"/> is the last
/// state written whole, and resuming from it continues the run. The message is one sentence, for a command line's
/// error line and a notebook's cell error alike.
/// </summary>
public sealed class RunWriteException : IOException
{
    /// <param name="file">The file that could not be written.</param>
    /// <param name="reason">The system's reason, such as "No space left on device".</param>
    /// <param name="lastCheckpoint">The run's checkpoint as it is on disk, or null where none was written yet.</param>
    /// <param name="cause">The failed write's exception.</param>
    public RunWriteException(string file, string reason, string? lastCheckpoint, Exception cause)
        : base($"Could not write {file}: {reason}. "
               + (lastCheckpoint is not null ? $"The last checkpoint, {lastCheckpoint}, is whole: resume from it." : "No checkpoint was written yet."),
               cause)
    {
        File = file;
        Reason = reason;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The file that could not be written.</summary>
    public string File { get; }
    /// <summary>The system's reason, without the path it was reported for.</summary>
    public string Reason { get; }
    /// <summary>The last checkpoint written whole, or null where none was written yet.</summary>
    public string? LastCheckpoint { get; }
}
