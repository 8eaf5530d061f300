namespace ArchGan.Training;

/// <summary>How <see cref="GanTrainer.Train"/> ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All epochs ran.</summary>
    Completed,
    /// <summary>The cancellation token fired; a checkpoint was written where the run stopped (if the trainer has a run directory).</summary>
    Cancelled,
}
