using ArchGan.Metrics;

namespace ArchGan.Experiments;

/// <summary>The sliced Wasserstein distance of one arm's samples after <paramref name="Minutes"/> of training.</summary>
/// <param name="Minutes">Training time when the generator was saved.</param>
/// <param name="Iteration">Iterations done by then.</param>
/// <param name="Swd">Its samples against the real images.</param>
public sealed record SwdPoint(double Minutes, long Iteration, SwdResult Swd);
