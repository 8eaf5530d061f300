using System.Globalization;

namespace ArchGan.Metrics;

/// <summary>
/// How far generated images are from their nearest training image, compared with how far training images are from
/// each other: the memorization check that <see cref="Uniqueness.Measure"/> computes. Distances are Euclidean, between
/// 32 x 32 thumbnails with pixels in 0..1 (3072 values per image).
/// </summary>
/// <param name="NearestDistances">For each generated image, the distance to its nearest training image.</param>
/// <param name="NearestIndices">For each generated image, the index (in the training set) of that nearest image, for display side by side.</param>
/// <param name="TrainingMedianDistance">Median, over training images, of the distance to their nearest other training image (leave-one-out).</param>
/// <param name="TrainingQueries">How many training images that median was taken over (all, or a seeded subset of large sets).</param>
/// <param name="TrainingCount">Training images searched for neighbours.</param>
public sealed record UniquenessResult(
    IReadOnlyList<double> NearestDistances,
    IReadOnlyList<int> NearestIndices,
    double TrainingMedianDistance,
    int TrainingQueries,
    int TrainingCount)
{
    /// <summary>Each generated image's nearest-neighbour distance divided by <see cref="TrainingMedianDistance"/>.</summary>
    public IReadOnlyList<double> Ratios => NearestDistances.Select(d => d / TrainingMedianDistance).ToArray();

    /// <summary>
    /// Median of <see cref="Ratios"/>: about 0 when the generator reproduces training images, about 1 when its images are
    /// as far from the training set as training images are from each other. (Infinite or NaN when the training set
    /// consists of duplicates, so that its median distance is 0.)
    /// </summary>
    public double MedianRatio => Thumbnails.Median(NearestDistances) / TrainingMedianDistance;

    /// <summary>The smallest of <see cref="Ratios"/>: the generated image most like a training image.</summary>
    public double MinRatio => NearestDistances.Count == 0 ? double.NaN : NearestDistances.Min() / TrainingMedianDistance;

    /// <summary>E.g. "Nearest training image: median ratio 0.93 (min 0.41) over 64 generated vs 32 training; training median NN distance 9.12".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Nearest training image: median ratio {MedianRatio:F2} (min {MinRatio:F2}) over {NearestDistances.Count} generated vs {TrainingCount} training; training median NN distance {TrainingMedianDistance:F2}");
}
