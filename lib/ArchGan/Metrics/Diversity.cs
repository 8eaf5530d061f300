using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// Detects mode collapse: the mean pairwise distance among generated images divided by the same among real images,
/// on 32 x 32 area-averaged thumbnails. A simple stand-in for the variation measures discussed by Karras et al. 2018
/// ("Progressive Growing of GANs", section 3 and 5): samples that all look alike give a ratio near 0.
/// </summary>
public static class Diversity
{
    private const int Chunk = 512;

    /// <summary>Mean pairwise distances within <paramref name="generated"/> and within <paramref name="real"/>.</summary>
    /// <param name="generated">Samples (at least two).</param>
    /// <param name="real">Real images (at least two, any count).</param>
    /// <param name="maxImages">Sets larger than this are represented by a seeded random subset of this many images.</param>
    /// <param name="seed">Seed of those subsets.</param>
    /// <exception cref="ArgumentException">A set has fewer than two images.</exception>
    public static DiversityResult Measure(ImageSet generated, ImageSet real, int maxImages = 2000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(real);
        if (generated.Count < 2) throw new ArgumentException($"Diversity needs at least 2 generated images, got {generated.Count}.", nameof(generated));
        if (real.Count < 2) throw new ArgumentException($"Diversity needs at least 2 real images, got {real.Count}.", nameof(real));
        if (maxImages < 2) throw new ArgumentOutOfRangeException(nameof(maxImages), maxImages, "Need at least two images.");
        var g = Thumbnails.Subset(generated.Count, maxImages, seed);
        var r = Thumbnails.Subset(real.Count, maxImages, seed + 1);
        return new DiversityResult(MeanPairwise(generated, g), MeanPairwise(real, r), g.Length, r.Length);
    }

    private static double MeanPairwise(ImageSet set, int[] indices)
    {
        using var scope = torch.NewDisposeScope();
        var rows = Thumbnails.Of(set, Uniqueness.ThumbnailSize, indices);
        long n = rows.shape[0];
        double sum = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            using var chunkScope = torch.NewDisposeScope();
            // The diagonal (each image with itself) is 0, so summing everything and dividing by n(n − 1) is the mean over pairs.
            sum += Thumbnails.Distances(rows.narrow(0, start, Math.Min(Chunk, n - start)), rows).sum().ToDouble();
        }
        return sum / (n * (n - 1));
    }
}
