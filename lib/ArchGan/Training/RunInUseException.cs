namespace ArchGan.Training;

/// <summary>
/// A trainer was asked for a run folder that another trainer is training in: two writers would interleave
/// their checkpoints and rotate each other's backups. The message names the folder and the process that holds
/// it. An <see cref="UnauthorizedAccessException"/>, as the operating system's lock is what denies the access;
/// hosts that report denied access as a plain error (the command line does) report this one the same way.
/// </summary>
public sealed class RunInUseException : UnauthorizedAccessException
{
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="holder">The process id of the holder, where it could be read.</param>
    /// <param name="problem">Who holds it and what to do, as a sentence.</param>
    /// <param name="inner">The operating system's refusal, if any.</param>
    public RunInUseException(string runDirectory, int? holder, string problem, Exception? inner = null)
        : base($"The run folder {runDirectory} is in use: {problem}", inner)
    {
        RunDirectory = runDirectory;
        HolderProcessId = holder;
    }

    /// <summary>The run folder that is in use.</summary>
    public string RunDirectory { get; }

    /// <summary>The process id of the process training in it, or null where it could not be read.</summary>
    public int? HolderProcessId { get; }
}
