namespace ArchGan.Training;

/// <summary>
/// libtorch threw during an iteration: an error of the native library rather than of the data or the recipe (for
/// example TorchSharp 0.107 freeing one of its temporary Scalars mid-call; docs/troubleshooting.md). The failed
/// iteration is not saved, since it may have updated some weights and not others; <see cref="LastCheckpoint"/> is
/// the last state written whole, and resuming from it continues the run.
/// </summary>
public sealed class TrainingFailedException : Exception
{
    /// <param name="iteration">The iteration that failed.</param>
    /// <param name="lastCheckpoint">The run's checkpoint, or null where none was written.</param>
    /// <param name="cause">libtorch's exception.</param>
    /// <param name="writesCheckpoints">False for a run kept in memory (no run folder), which never writes one.</param>
    public TrainingFailedException(long iteration, string? lastCheckpoint, Exception cause, bool writesCheckpoints = true)
        : base($"libtorch failed in iteration {iteration}: {FirstLine(cause.Message)} "
               + (lastCheckpoint is not null ? $"The last checkpoint, {lastCheckpoint}, is intact: resume from it."
                  : writesCheckpoints ? "No checkpoint was written yet." : "This run keeps no checkpoints (it has no run folder)."),
               cause)
    {
        Iteration = iteration;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The iteration that failed (from 1).</summary>
    public long Iteration { get; }
    /// <summary>The run's checkpoint as it was before the failed iteration, or null where none was written.</summary>
    public string? LastCheckpoint { get; }

    // libtorch appends a C++ stack trace of dozens of lines to its message.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
