using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>
/// The kernel inception distance of two sets, x 1000 as it is usually reported: the mean of the unbiased MMD²
/// estimates over random subsets, and their standard deviation, which says how far one subset's estimate may
/// fall from the mean: an error bar on the safe side, since the mean rests on all the subsets. 0 means the same distribution; small negative values occur, since the estimate is
/// unbiased.
/// </summary>
/// <param name="Mean">Mean MMD² x 1000 over the subsets.</param>
/// <param name="StandardDeviation">Standard deviation x 1000 of the subsets' estimates.</param>
/// <param name="Subsets">Random subsets drawn.</param>
/// <param name="SubsetSize">Images of each set in a subset.</param>
public sealed record KidResult(double Mean, double StandardDeviation, int Subsets, int SubsetSize)
{
    /// <summary>E.g. "KID x1e3 4,474 ± 310 (100 subsets of 32)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"KID x1e3 {Mean:N0} ± {StandardDeviation:N0} ({Subsets} subsets of {SubsetSize})");
}
