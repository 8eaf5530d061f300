using TorchSharp;

namespace ArchGan.Metrics;

/// <summary>
/// The kernel inception distance (KID) of Bińkowski et al. 2018, "Demystifying MMD GANs" (ICLR 2018): the squared
/// maximum mean discrepancy between two sets of features under the cubic polynomial kernel
/// k(x, y) = (x·y / d + 1)³, estimated without bias. Unlike FID it has no bias at small sample sizes, so a few
/// dozen real photos give an honest number, and two draws of one distribution give 0 up to noise.
/// </summary>
/// <remarks>
/// For subsets X of the real and Y of the generated features, each of size m, the unbiased estimate is
/// MMD² = Σ_{i≠j} k(xᵢ, xⱼ) / (m(m−1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (m(m−1)) − 2 Σ_{i,j} k(xᵢ, yⱼ) / m².
/// The kernel matrices are computed once over all features, in double precision; each subset then sums a block of
/// them. Subsets are drawn without replacement within a subset and independently across subsets, from
/// <c>seed</c>.
/// </remarks>
public static class KernelDistance
{
    /// <summary>Subsets drawn (100, as in Bińkowski et al.'s code).</summary>
    public const int DefaultSubsets = 100;

    /// <summary>
    /// Largest subset (1000, as there). Smaller sets draw subsets of half the smaller set's images, so that the
    /// subsets differ and their spread says how much the estimate depends on which images were drawn.
    /// </summary>
    public const int DefaultSubsetSize = 1000;

    /// <summary>KID between <paramref name="real"/> and <paramref name="fake"/> features.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension or one has fewer than 2 rows.</exception>
    public static KidResult Measure(FeatureSet real, FeatureSet fake, long seed = 0, int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize)
    {
        FeatureSet.CheckPair(real, fake);
        if (real.Count < 2 || fake.Count < 2)
            throw new ArgumentException($"KID needs at least 2 images on each side, got {real.Count} real and {fake.Count} generated.", nameof(real));
        if (subsets < 1) throw new ArgumentException($"subsets must be at least 1, not {subsets}.", nameof(subsets));
        int m = Math.Min(subsetSize, Math.Max(2, Math.Min(real.Count, fake.Count) / 2));
        if (m < 2) throw new ArgumentException($"subsetSize must be at least 2, not {subsetSize}.", nameof(subsetSize));

        var kxx = Kernel(real, real);
        var kyy = Kernel(fake, fake);
        var kxy = Kernel(real, fake);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var estimates = new double[subsets];
        for (int s = 0; s < subsets; s++)
        {
            var x = Draw(random, real.Count, m);
            var y = Draw(random, fake.Count, m);
            estimates[s] = OffDiagonalMean(kxx, real.Count, x) + OffDiagonalMean(kyy, fake.Count, y) - 2 * BlockMean(kxy, fake.Count, x, y);
        }
        double mean = estimates.Average();
        double sd = subsets > 1 ? Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (subsets - 1)) : 0;
        return new KidResult(1000 * mean, 1000 * sd, subsets, m);
    }

    // k(a, b) for every pair of rows, row-major: a.Count x b.Count.
    private static double[] Kernel(FeatureSet a, FeatureSet b)
    {
        using var scope = torch.NewDisposeScope();
        var dots = a.ToTensor().mm(b.ToTensor().t()).contiguous().data<double>().ToArray();
        double d = a.Dimensions;
        for (int i = 0; i < dots.Length; i++)
        {
            double v = dots[i] / d + 1;
            dots[i] = v * v * v;
        }
        return dots;
    }

    private static int[] Draw(Random random, int count, int m)
    {
        var all = Enumerable.Range(0, count).ToArray();
        random.Shuffle(all);
        return all[..m];
    }

    private static double OffDiagonalMean(double[] k, int stride, int[] rows)
    {
        double sum = 0;
        foreach (int i in rows)
            foreach (int j in rows)
                if (i != j) sum += k[(long)i * stride + j];
        return sum / ((double)rows.Length * (rows.Length - 1));
    }

    private static double BlockMean(double[] k, int stride, int[] rows, int[] columns)
    {
        double sum = 0;
        foreach (int i in rows)
            foreach (int j in columns)
                sum += k[(long)i * stride + j];
        return sum / ((double)rows.Length * columns.Length);
    }
}
