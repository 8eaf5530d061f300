using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>What <see cref="ManifoldPrecisionRecall"/> measured: both shares lie in [0, 1], higher is better.</summary>
/// <param name="Precision">Share of generated images inside the real images' manifold.</param>
/// <param name="Recall">Share of real images inside the generated images' manifold.</param>
/// <param name="K">The neighbour that set the balls' radii.</param>
public sealed record PrecisionRecallResult(double Precision, double Recall, int K)
{
    /// <summary>E.g. "precision 0.41, recall 0.12 (k = 3)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"precision {Precision:F2}, recall {Recall:F2} (k = {K})");
}
