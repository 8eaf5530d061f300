using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>
/// Spread of generated images compared with real ones, from <see cref="Diversity.Measure"/>: mean pairwise Euclidean
/// distance between 32 x 32 thumbnails (pixels 0..1) within each set.
/// </summary>
/// <param name="GeneratedMeanDistance">Mean distance between two different generated images.</param>
/// <param name="RealMeanDistance">Mean distance between two different real images.</param>
/// <param name="GeneratedCount">Generated images used.</param>
/// <param name="RealCount">Real images used.</param>
public sealed record DiversityResult(double GeneratedMeanDistance, double RealMeanDistance, int GeneratedCount, int RealCount)
{
    /// <summary>
    /// <see cref="GeneratedMeanDistance"/> / <see cref="RealMeanDistance"/>: near 0 under mode collapse (every sample
    /// alike), about 1 when samples vary as much as real images; above 1 for samples more varied than the data (e.g. noise).
    /// </summary>
    public double Ratio => GeneratedMeanDistance / RealMeanDistance;

    /// <summary>E.g. "Diversity: 0.97 (mean pairwise distance 10.31 among 64 generated, 10.63 among 64 real)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Diversity: {Ratio:F2} (mean pairwise distance {GeneratedMeanDistance:F2} among {GeneratedCount} generated, {RealMeanDistance:F2} among {RealCount} real)");
}
