using ArchGan.Data;
using ArchGan.Metrics;

namespace ArchGan.Experiments;

/// <summary>How one recipe did in a <see cref="RecipeComparison"/>.</summary>
/// <param name="Name">The recipe's name.</param>
/// <param name="Hp">Its hyperparameters.</param>
/// <param name="Points">SWD and KID at evenly spaced moments of the budget, the last at its end.</param>
/// <param name="Quality">KID, FID and precision and recall of the final samples.</param>
/// <param name="Uniqueness">Nearest-training-image check of the final samples.</param>
/// <param name="Diversity">Spread of the final samples relative to the real images'.</param>
/// <param name="Samples">The final fixed-noise samples.</param>
/// <param name="GridPath">Those samples as a grid on disk.</param>
public sealed record ArmResult(string Name, Hyperparameters Hp, IReadOnlyList<QualityPoint> Points,
    FeatureQualityResult Quality, UniquenessResult Uniqueness, DiversityResult Diversity, ImageSet Samples, string GridPath)
{
    /// <summary>The measurement at the end of the budget.</summary>
    public QualityPoint Final => Points[^1];

    /// <summary>Minutes of training after which KID x 1000 first was at most <paramref name="kid"/>, or null if it never was.</summary>
    public double? MinutesToReach(double kid) => Points.FirstOrDefault(p => p.Kid.Mean <= kid)?.Minutes;
}
