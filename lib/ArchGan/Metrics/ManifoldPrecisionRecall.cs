using TorchSharp;

namespace ArchGan.Metrics;

/// <summary>
/// Precision and recall of a generator after Kynkäänniemi et al. 2019 ("Improved Precision and Recall Metric
/// for Assessing Generative Models", NeurIPS 2019). Each set's manifold is the union of balls around its
/// feature vectors, each as wide as the distance to that vector's k-th nearest neighbour in its own set.
/// Precision is the share of generated images inside the real manifold (are the samples realistic?); recall the
/// share of real images inside the generated manifold (does the generator cover what the photos show?).
/// </summary>
/// <remarks>
/// KID and FID fold both failures into one number; these two tell them apart: a collapsed generator can keep a
/// fair precision while its recall falls to 0, a blurry one the other way round. k = 3, the paper's choice.
/// Distances are Euclidean, in double precision.
/// </remarks>
public static class ManifoldPrecisionRecall
{
    /// <summary>The neighbour whose distance sets a ball's radius (3 in the paper).</summary>
    public const int DefaultK = 3;

    /// <summary>Precision and recall of <paramref name="fake"/> against <paramref name="real"/>.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension, or one has no more than k rows.</exception>
    public static PrecisionRecallResult Measure(FeatureSet real, FeatureSet fake, int k = DefaultK)
    {
        FeatureSet.CheckPair(real, fake);
        if (k < 1) throw new ArgumentException($"k must be at least 1, not {k}.", nameof(k));
        if (real.Count <= k || fake.Count <= k)
            throw new ArgumentException($"Precision and recall with k = {k} need more than {k} images on each side, got {real.Count} real and {fake.Count} generated.", nameof(real));
        var realToReal = Distances(real, real);
        var fakeToFake = Distances(fake, fake);
        var realToFake = Distances(real, fake);
        var realRadii = Radii(realToReal, real.Count, k);
        var fakeRadii = Radii(fakeToFake, fake.Count, k);
        // A generated image counts when it lies in some real image's ball, and the other way round.
        int inReal = Enumerable.Range(0, fake.Count).Count(j => Enumerable.Range(0, real.Count).Any(i => realToFake[(long)i * fake.Count + j] <= realRadii[i]));
        int inFake = Enumerable.Range(0, real.Count).Count(i => Enumerable.Range(0, fake.Count).Any(j => realToFake[(long)i * fake.Count + j] <= fakeRadii[j]));
        return new PrecisionRecallResult((double)inReal / fake.Count, (double)inFake / real.Count, k);
    }

    private static double[] Distances(FeatureSet a, FeatureSet b)
    {
        using var scope = torch.NewDisposeScope();
        return torch.cdist(a.ToTensor(), b.ToTensor()).contiguous().data<double>().ToArray();
    }

    // Distance from each row to its k-th nearest other row (index k after sorting, since index 0 is itself).
    private static double[] Radii(double[] distances, int count, int k)
    {
        var radii = new double[count];
        var row = new double[count];
        for (int i = 0; i < count; i++)
        {
            Array.Copy(distances, (long)i * count, row, 0, count);
            row[i] = 0; // itself, exactly
            Array.Sort(row);
            radii[i] = row[k];
        }
        return radii;
    }
}
