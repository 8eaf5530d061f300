using ArchGan.Metrics;

namespace ArchGan.Experiments;

/// <summary>How close one arm's samples were to the real images after <paramref name="Minutes"/> of training.</summary>
/// <param name="Minutes">Training time when the generator was saved.</param>
/// <param name="Iteration">Iterations done by then.</param>
/// <param name="Swd">The sliced Wasserstein distance of its samples.</param>
/// <param name="Kid">Their kernel inception distance on ResNet18 features, the measure arms are ranked by.</param>
/// <param name="AugmentProbability">
/// Adaptive augmentation's p at that moment (<see cref="Hyperparameters.AdaptiveAugmentTarget"/>), or null for a recipe
/// without it: how hard D was being augmented, which rises as D starts to memorize the photos.
/// </param>
/// <param name="R1Penalty">
/// The lazy R1 step's E[‖∇ₓD(x)‖²] at its last run before that moment (<see cref="Hyperparameters.R1Gamma"/>), or null
/// for a recipe without it: how steep D was around the real images.
/// </param>
public sealed record QualityPoint(double Minutes, long Iteration, SwdResult Swd, KidResult Kid,
    double? AugmentProbability = null, double? R1Penalty = null);
