using ArchGan.Data;

namespace ArchGan.Training;

/// <summary>
/// What <see cref="GanTrainer.Progress"/> reports after every iteration. The notebook and the command line
/// each render it their own way.
/// </summary>
/// <param name="Epoch">The epoch under way, from 1.</param>
/// <param name="Epochs">Epochs in the whole run.</param>
/// <param name="Iteration">Iterations done since the run began, resumed parts included.</param>
/// <param name="TotalIterations">Iterations in the whole run.</param>
/// <param name="Step">This iteration's losses and D outputs.</param>
/// <param name="IterationsPerSecond">Recent speed.</param>
/// <param name="Remaining">Estimated time to the end of the run at that speed.</param>
/// <param name="Samples">The fixed-noise grid, when this iteration produced one; otherwise null.</param>
/// <param name="Checkpoint">The checkpoint file, when this iteration wrote one; otherwise null.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    long Iteration,
    long TotalIterations,
    StepResult Step,
    double IterationsPerSecond,
    TimeSpan Remaining,
    ImageSet? Samples,
    string? Checkpoint);
