using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>What <see cref="FeatureQuality"/> measured.</summary>
/// <param name="Kid">Kernel inception distance x 1000 with its spread over subsets; lower is closer, 0 is the same distribution.</param>
/// <param name="Fid">Fréchet distance; lower is closer, biased upwards at small counts.</param>
/// <param name="PrecisionRecall">Realism and coverage of the samples.</param>
/// <param name="RealCount">Real images measured.</param>
/// <param name="FakeCount">Generated images measured.</param>
/// <param name="MillisecondsPerImage">Feature extraction time per image (0 when the features were given).</param>
public sealed record FeatureQualityResult(KidResult Kid, double Fid, PrecisionRecallResult PrecisionRecall,
    int RealCount, int FakeCount, double MillisecondsPerImage)
{
    /// <summary>E.g. "KID x1e3 4,474 ± 310 (100 subsets of 32), FID 142.3, precision 0.41, recall 0.12 (k = 3)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kid}, FID {Fid:F1}, {PrecisionRecall}");
}
