namespace ArchGan.Training;

/// <summary>What a checkpoint says about itself, read without loading any weights.</summary>
/// <param name="Path">The file.</param>
/// <param name="Hyperparameters">The recipe of the run that wrote it.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="BatchInEpoch">Batches of the next epoch already done (non-zero after a cancellation).</param>
/// <param name="Iteration">Iterations done.</param>
/// <param name="LibraryVersion">The ArchGan version that wrote it.</param>
/// <param name="Saved">When it was written.</param>
public sealed record CheckpointInfo(
    string Path,
    Hyperparameters Hyperparameters,
    int Epoch,
    int BatchInEpoch,
    long Iteration,
    string LibraryVersion,
    DateTimeOffset Saved);
