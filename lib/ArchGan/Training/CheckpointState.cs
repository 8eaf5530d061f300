using ArchGan.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>Everything a <see cref="GanTrainer"/> hands to <see cref="Checkpoint.Save"/>.</summary>
internal sealed record CheckpointState(
    Hyperparameters Hp,
    Model.Generator Generator,
    Model.Generator? EmaGenerator,
    Discriminator Discriminator,
    Adam OptimizerG,
    Adam OptimizerD,
    TorchSharp.torch.Generator NoiseRandom,
    Tensor FixedNoise,
    TrainingHistory History,
    int Epoch,
    int BatchInEpoch,
    LeCamAverages LeCam,
    double AugmentProbability);
