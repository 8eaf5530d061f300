using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// The Fréchet distance of Heusel et al. 2017 ("GANs Trained by a Two Time-Scale Update Rule Converge to a Local
/// Nash Equilibrium", the FID): the distance between two Gaussians fitted to the feature sets,
/// |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½), in double precision.
/// </summary>
/// <remarks>
/// FID is biased at small sample sizes: with fewer images than the features' 512 dimensions the covariances are
/// rank-deficient, and even two draws of one distribution score well above 0, more so the fewer images there
/// are (Bińkowski et al. 2018, section 4). Compare FIDs only at equal image counts, and prefer
/// <see cref="KernelDistance"/> for a few dozen photos. Tr (Σ₁Σ₂)^½ is computed as the sum of the square roots of the
/// eigenvalues of Σ₁^½ Σ₂ Σ₁^½, which is symmetric, so no complex matrix square root is needed.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>FID between <paramref name="real"/> and <paramref name="fake"/> features.</summary>
    /// <exception cref="ArgumentException">The sets differ in dimension or one has fewer than 2 rows.</exception>
    public static double Measure(FeatureSet real, FeatureSet fake)
    {
        FeatureSet.CheckPair(real, fake);
        if (real.Count < 2 || fake.Count < 2)
            throw new ArgumentException($"FID needs at least 2 images on each side, got {real.Count} real and {fake.Count} generated.", nameof(real));
        using var scope = torch.NewDisposeScope();
        var (mu1, sigma1) = Moments(real.ToTensor());
        var (mu2, sigma2) = Moments(fake.ToTensor());
        var difference = mu1.sub(mu2);
        double meanTerm = difference.dot(difference).item<double>();
        var root1 = SymmetricSquareRoot(sigma1);
        var product = root1.mm(sigma2).mm(root1);
        // Symmetric up to rounding; eigvalsh reads one triangle.
        double crossTrace = Clamped(torch.linalg.eigvalsh(product)).sqrt().sum().item<double>();
        return meanTerm + sigma1.trace().item<double>() + sigma2.trace().item<double>() - 2 * crossTrace;
    }

    // Mean (d) and unbiased covariance (d x d) of the rows of x (n x d).
    private static (Tensor Mean, Tensor Covariance) Moments(Tensor x)
    {
        var mean = x.mean(new long[] { 0 });
        var centred = x.sub(mean);
        using var denominator = ((double)(x.shape[0] - 1)).ToScalar();
        return (mean, centred.t().mm(centred).div(denominator));
    }

    private static Tensor SymmetricSquareRoot(Tensor a)
    {
        var (values, vectors) = torch.linalg.eigh(a);
        return vectors.mul(Clamped(values).sqrt()).mm(vectors.t());
    }

    // Eigenvalues of a covariance are ≥ 0; rounding makes the smallest slightly negative.
    private static Tensor Clamped(Tensor values) => values.relu();
}
