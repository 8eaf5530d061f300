using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>
/// The sliced Wasserstein distance between two image sets, per Laplacian pyramid level, multiplied by 1000 as in
/// Karras et al. 2018 ("Progressive Growing of GANs", table 1). Lower is closer; the finest level measures edges and
/// texture, the coarsest (the low-pass image) colour and large shapes.
/// </summary>
/// <param name="Resolutions">Side of each level, finest first (128, 64, 32, 16 for 128 x 128 images).</param>
/// <param name="Distances">SWD x 1000 of each level, in the order of <paramref name="Resolutions"/>.</param>
/// <param name="ImageCount">Images in each set.</param>
/// <param name="Seed">Seed of the patch positions and projection directions.</param>
public sealed record SwdResult(IReadOnlyList<int> Resolutions, IReadOnlyList<double> Distances, int ImageCount, long Seed)
{
    /// <summary>The mean of the levels' distances: the single number Karras et al. report as "avg".</summary>
    public double Average => Distances.Count == 0 ? double.NaN : Distances.Average();

    /// <summary>E.g. "SWD x1e3 over 64 images per set (seed 0): 128px 5.1, 64px 4.2, 32px 3.3, 16px 9.0; average 5.4".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"SWD x1e3 over {ImageCount} images per set (seed {Seed}): {string.Join(", ", Resolutions.Zip(Distances, (r, d) => $"{r}px {d:F1}"))}; average {Average:F1}");
}
