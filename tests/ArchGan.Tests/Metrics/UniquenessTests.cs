using ArchGan.Data;
using ArchGan.Metrics;
using ArchGan.Tests.Data;
using Xunit.Abstractions;

namespace ArchGan.Tests.Metrics;

public class UniquenessTests(ITestOutputHelper output)
{
    private static readonly ImageSet Facades96 = Facades.Generate(96, 64, seed: 11);

    [Fact]
    public void Exact_copies_of_training_images_give_a_ratio_near_zero_and_their_indices()
    {
        var training = MetricImages.Range(Facades96, 0, 48);
        int[] copied = { 5, 3, 47, 0, 20, 5 };
        var result = Uniqueness.Measure(MetricImages.Pick(training, copied), training);
        output.WriteLine(result.ToString());
        Assert.Equal(copied, result.NearestIndices);
        Assert.True(result.MedianRatio < 1e-3, result.ToString());
        Assert.All(result.NearestDistances, d => Assert.True(d < 1e-4, $"distance {d}"));
        Assert.True(result.TrainingMedianDistance > 1);
        Assert.Equal(48, result.TrainingCount);
        Assert.Contains("median ratio 0.00", result.ToString());
    }

    [Fact]
    public void A_disjoint_sample_of_the_same_distribution_gives_a_ratio_near_one()
    {
        var training = MetricImages.Range(Facades96, 0, 48);
        var fresh = MetricImages.Range(Facades96, 48, 48);
        var result = Uniqueness.Measure(fresh, training);
        output.WriteLine(result.ToString());
        Assert.InRange(result.MedianRatio, 0.75, 1.33);
        // Slightly perturbed copies (a light blur) sit in between, still pointing at their originals.
        var nearCopies = Uniqueness.Measure(MetricImages.Blur(MetricImages.Range(training, 0, 16), 0.6), training);
        output.WriteLine(nearCopies.ToString());
        Assert.Equal(Enumerable.Range(0, 16), nearCopies.NearestIndices);
        Assert.InRange(nearCopies.MedianRatio, 0.02, 0.6);
    }

    [Fact]
    public void Large_training_sets_use_a_subset_of_queries_for_the_median()
    {
        var result = Uniqueness.Measure(MetricImages.Range(Facades96, 0, 4), Facades96, maxTrainingQueries: 10);
        Assert.Equal(10, result.TrainingQueries);
        Assert.Equal(96, result.TrainingCount);
        Assert.True(double.IsFinite(result.MedianRatio));
    }

    [Fact]
    public void A_training_set_of_one_image_is_refused() =>
        Assert.Throws<ArgumentException>(() => Uniqueness.Measure(Facades96, MetricImages.Range(Facades96, 0, 1)));

    [SharedDatasetFact("palladio-32")]
    public void Palladio_halves_are_as_novel_as_real_photos_are_from_each_other()
    {
        var palladio = ImageFolder.Load(SharedDatasets.Find("palladio-32")!, 64, useCache: false).Images;
        var result = Uniqueness.Measure(MetricImages.Range(palladio, 16, 16), MetricImages.Range(palladio, 0, 16));
        output.WriteLine(result.ToString());
        Assert.InRange(result.MedianRatio, 0.6, 1.6);
        var copies = Uniqueness.Measure(MetricImages.Range(palladio, 0, 16), palladio);
        Assert.Equal(Enumerable.Range(0, 16), copies.NearestIndices);
    }
}
