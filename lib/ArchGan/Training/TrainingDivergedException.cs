namespace ArchGan.Training;

/// <summary>
/// A loss became NaN or infinite. Training stopped before that step changed any weight; the run's
/// checkpoint on disk (if any) still holds the last good state.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <param name="iteration">The iteration whose loss was not finite.</param>
    /// <param name="step">"discriminator (D)" or "generator (G)".</param>
    /// <param name="loss">The loss value.</param>
    /// <param name="lastGoodCheckpoint">The run's checkpoint, or null where none was written.</param>
    /// <param name="writesCheckpoints">False for a run kept in memory (no run folder), which never writes one.</param>
    public TrainingDivergedException(long iteration, string step, float loss, string? lastGoodCheckpoint, bool writesCheckpoints = true)
        : base($"Training diverged at iteration {iteration}: the {step} loss is {loss}. "
               + (lastGoodCheckpoint is not null ? $"The last good checkpoint is {lastGoodCheckpoint}. "
                  : writesCheckpoints ? "No checkpoint was written yet. " : "This run keeps no checkpoints (it has no run folder). ")
               + "Try lower learning rates or another seed.")
    {
        Iteration = iteration;
        Step = step;
        Loss = loss;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The iteration whose loss was not finite (from 1).</summary>
    public long Iteration { get; }
    /// <summary>"discriminator (D)" or "generator (G)".</summary>
    public string Step { get; }
    /// <summary>The loss value: NaN or ±∞.</summary>
    public float Loss { get; }
    /// <summary>The checkpoint holding the last good state, or null.</summary>
    public string? LastGoodCheckpoint { get; }
}
