using ArchGan.Data;

namespace ArchGan.Metrics;

/// <summary>
/// KID, FID and precision and recall of generated images against real ones, all three on the same ResNet18
/// features (<see cref="ImageFeatures"/>): the measures a host reports beside the pixel-based ones.
/// </summary>
public static class FeatureQuality
{
    /// <summary>Extracts both sets' features with <paramref name="network"/> and measures them.</summary>
    public static FeatureQualityResult Measure(ImageFeatures network, ImageSet real, ImageSet fake, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Measure(network.Extract(real), network.Extract(fake), seed);
    }

    /// <summary>Measures features already extracted, e.g. one real set against the samples of several moments.</summary>
    public static FeatureQualityResult Measure(FeatureSet real, FeatureSet fake, long seed = 0) => new(
        KernelDistance.Measure(real, fake, seed),
        FrechetDistance.Measure(real, fake),
        ManifoldPrecisionRecall.Measure(real, fake),
        real.Count,
        fake.Count,
        (real.Seconds + fake.Seconds) * 1000 / (real.Count + fake.Count));
}
