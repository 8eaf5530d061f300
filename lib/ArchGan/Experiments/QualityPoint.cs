using ArchGan.Metrics;

namespace ArchGan.Experiments;

/// <summary>How close one arm's samples were to the real images after <paramref name="Minutes"/> of training.</summary>
/// <param name="Minutes">Training time when the generator was saved.</param>
/// <param name="Iteration">Iterations done by then.</param>
/// <param name="Swd">The sliced Wasserstein distance of its samples.</param>
/// <param name="Kid">Their kernel inception distance on ResNet18 features, the measure arms are ranked by.</param>
public sealed record QualityPoint(double Minutes, long Iteration, SwdResult Swd, KidResult Kid);
