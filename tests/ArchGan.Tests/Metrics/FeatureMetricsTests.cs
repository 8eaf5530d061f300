using ArchGan.Data;
using ArchGan.Metrics;
using ArchGan.Tests.Data;
using Xunit.Abstractions;

namespace ArchGan.Tests.Metrics;

/// <summary>
/// KID, FID and precision and recall: exact on features small enough to work out by hand, unbiased where the
/// paper says so, and on ResNet18 features of real images ordered the way a person sees them.
/// </summary>
public class FeatureMetricsTests(ITestOutputHelper output)
{
    // ---- The measures on features made up for the test ----

    [Fact]
    public void Kid_of_two_pairs_is_the_unbiased_mmd_worked_out_by_hand()
    {
        // Two images a side, 2 values each, so the one subset is the whole set.
        var x = Features(new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 });
        var y = Features(new[] { 1.0, 1.0 }, new[] { 2.0, 0.0 });
        static double K(double[] a, double[] b) => Math.Pow((a[0] * b[0] + a[1] * b[1]) / 2 + 1, 3);
        double[] a = { 1, 0 }, b = { 0, 1 }, c = { 1, 1 }, d = { 2, 0 };
        double expected = K(a, b) + K(c, d) - 2 * (K(a, c) + K(a, d) + K(b, c) + K(b, d)) / 4;
        var kid = KernelDistance.Measure(x, y, subsets: 3);
        Assert.Equal(1000 * expected, kid.Mean, 9);
        Assert.Equal(0, kid.StandardDeviation, 9); // two images is the smallest subset, so every subset is the whole set
        Assert.Equal(2, kid.SubsetSize);
    }

    [Fact]
    public void Kid_is_unbiased_its_mean_over_many_splits_of_one_distribution_is_zero()
    {
        // The biased estimate (the diagonal k(x, x) kept in) would sit clearly above 0 here.
        var random = new Random(3);
        var means = new List<double>();
        for (int split = 0; split < 200; split++)
            means.Add(KernelDistance.Measure(Gaussian(random, 20, 8, 0), Gaussian(random, 20, 8, 0), seed: split, subsets: 1).Mean);
        double mean = means.Average(), sd = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Count - 1));
        double standardError = sd / Math.Sqrt(means.Count);
        output.WriteLine($"mean {mean:F1} ± {standardError:F1} (sd {sd:F1})");
        Assert.InRange(mean, -4 * standardError, 4 * standardError);
        // ...and a shifted distribution is far outside that.
        var shifted = KernelDistance.Measure(Gaussian(random, 20, 8, 0), Gaussian(random, 20, 8, 1), subsets: 1).Mean;
        Assert.True(shifted > 10 * sd, $"shifted {shifted:F1}, sd of same-distribution estimates {sd:F1}");
    }

    [Fact]
    public void Kid_depends_on_its_seed_only_through_the_subsets_it_draws()
    {
        var random = new Random(4);
        var real = Gaussian(random, 60, 8, 0);
        var fake = Gaussian(random, 60, 8, 0.3);
        var first = KernelDistance.Measure(real, fake, seed: 1, subsetSize: 20);
        Assert.Equal(first, KernelDistance.Measure(real, fake, seed: 1, subsetSize: 20));
        Assert.NotEqual(first.Mean, KernelDistance.Measure(real, fake, seed: 2, subsetSize: 20).Mean);
        Assert.True(first.StandardDeviation > 0);
        Assert.Equal((100, 20), (first.Subsets, first.SubsetSize));
        // Without a size, subsets hold half the smaller set, so that they differ.
        Assert.Equal(30, KernelDistance.Measure(real, fake).SubsetSize);
    }

    [Fact]
    public void Fid_of_a_shifted_copy_is_the_squared_shift_and_of_a_scaled_copy_adds_the_trace()
    {
        var random = new Random(5);
        var x = Gaussian(random, 200, 6, 0);
        Assert.Equal(0, FrechetDistance.Measure(x, x), 6);
        // Equal covariances: the trace term cancels and only |μ₁ − μ₂|² is left.
        double[] shift = { 1, -2, 0.5, 0, 3, 1 };
        var moved = Map(x, (v, d) => v + shift[d]);
        Assert.Equal(shift.Sum(s => s * s), FrechetDistance.Measure(x, moved), 6);
        // y = 2x: Σ₂ = 4Σ₁, so Tr(Σ₁ + 4Σ₁ − 2·2Σ₁) = Tr Σ₁, plus |μ₁|² from the means.
        var doubled = Map(x, (v, _) => 2 * v);
        var (mean, trace) = MeanAndTrace(x);
        Assert.Equal(mean.Sum(m => m * m) + trace, FrechetDistance.Measure(x, doubled), 6);
    }

    [Fact]
    public void Precision_counts_samples_near_real_ones_and_recall_counts_real_ones_the_samples_cover()
    {
        // Real images: ten points along a line, one apart; a ball reaches the third nearest: 3 at the ends, 2 inside.
        var real = Features(Enumerable.Range(0, 10).Select(i => new[] { (double)i, 0 }).ToArray());
        // Half of the samples lie on the line, half far off it: precision 0.5.
        var half = Features(new[] { 1.5, 0 }, new[] { 4.2, 0.5 }, new[] { 7.0, 1.0 }, new[] { 3.0, 0 },
            new[] { 50.0, 50 }, new[] { 60.0, 50 }, new[] { 50.0, 60 }, new[] { 70.0, 70 });
        var mixed = ManifoldPrecisionRecall.Measure(real, half);
        Assert.Equal(0.5, mixed.Precision, 9);
        // Collapse: every sample at one real image, so every sample is realistic and almost no real image is covered.
        var collapsed = Features(Enumerable.Range(0, 8).Select(i => new[] { 5.0 + 1e-3 * i, 0 }).ToArray());
        var result = ManifoldPrecisionRecall.Measure(real, collapsed);
        Assert.Equal(1.0, result.Precision, 9);
        Assert.Equal(0.1, result.Recall, 9); // only the real image at 5 lies in a sample's (tiny) ball
        Assert.Equal(3, result.K);
    }

    [Fact]
    public void Measures_reject_sets_they_cannot_compare()
    {
        var two = Features(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 });
        var three = new FeatureSet(new float[9], 3, 3, 0);
        Assert.Contains("cannot be compared", Assert.Throws<ArgumentException>(() => KernelDistance.Measure(two, three)).Message);
        Assert.Contains("at least 2 images", Assert.Throws<ArgumentException>(() => FrechetDistance.Measure(two, Features(new[] { 1.0, 2.0 }))).Message);
        Assert.Contains("more than 3 images", Assert.Throws<ArgumentException>(() => ManifoldPrecisionRecall.Measure(two, two)).Message);
    }

    // ---- ResNet18 features of images ----

    [Fact]
    public void Features_are_512_values_an_image_independent_of_order_and_batch()
    {
        using var network = ImageFeatures.Load();
        var images = Facades.Generate(20, 64, seed: 6); // more than one resize batch
        var features = network.Extract(images);
        Assert.Equal((20, 512), (features.Count, features.Dimensions));
        Assert.True(features.Seconds > 0);
        output.WriteLine($"{features.MillisecondsPerImage:F1} ms an image");
        var reversed = network.Extract(images.Pick(Enumerable.Range(0, 20).Reverse()));
        for (int i = 0; i < 20; i++)
            Assert.Equal(Row(features, i), Row(reversed, 19 - i));
        Assert.NotEqual(Row(features, 0), Row(features, 1));
        Assert.All(features.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_missing_model_file_is_one_error_that_names_it_and_says_how_to_get_it()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => ImageFeatures.Load(empty));
            Assert.Contains(Path.Combine(empty, ImageFeatures.PreprocessFile), e.Message);
            Assert.Contains("dotnet build", e.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void On_facades_kid_is_near_zero_for_a_fresh_draw_and_grows_with_blur()
    {
        using var network = ImageFeatures.Load();
        var real = network.Extract(Facades.Generate(64, 64, seed: 1));
        var imagesOther = Facades.Generate(64, 64, seed: 2);
        var other = network.Extract(imagesOther);
        var fresh = KernelDistance.Measure(real, other);
        var blurred = new[] { 0.7, 1.5, 3.0 }.Select(sigma => KernelDistance.Measure(real, network.Extract(MetricImages.Blur(imagesOther, sigma)))).ToList();
        output.WriteLine($"fresh draw {fresh}\n{string.Join("\n", blurred.Select((b, i) => $"blur {i}: {b}"))}");
        Assert.InRange(fresh.Mean, -3 * fresh.StandardDeviation, 3 * fresh.StandardDeviation);
        Assert.True(blurred[0].Mean > fresh.Mean + 3 * fresh.StandardDeviation, "a slight blur should stand out of the noise");
        Assert.True(blurred[0].Mean < blurred[1].Mean && blurred[1].Mean < blurred[2].Mean, "KID should grow with the blur");
        var quality = FeatureQuality.Measure(real, other);
        Assert.True(quality.PrecisionRecall.Precision > 0.5 && quality.PrecisionRecall.Recall > 0.5, quality.ToString());
    }

    [SharedDatasetFact("palladio-32")]
    public void On_palladio_two_halves_are_near_zero_and_blurred_photos_far()
    {
        using var network = ImageFeatures.Load();
        var photos = ImageFolder.Load(SharedDatasets.Find("palladio-32")!, 128, useCache: false).Images;
        var features = network.Extract(photos);
        var halves = KernelDistance.Measure(features.Pick(Enumerable.Range(0, 16).ToArray()), features.Pick(Enumerable.Range(16, 16).ToArray()), subsets: 300);
        var blurred = KernelDistance.Measure(features, network.Extract(MetricImages.Blur(photos, 2)));
        output.WriteLine($"halves {halves}, blurred 2 px {blurred}");
        Assert.InRange(halves.Mean, -3 * halves.StandardDeviation, 3 * halves.StandardDeviation);
        Assert.True(blurred.Mean > halves.Mean + 3 * halves.StandardDeviation, $"halves {halves}, blurred {blurred}");
    }

    private static FeatureSet Features(params double[][] rows) =>
        new(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), rows.Length, rows[0].Length, 0);

    private static FeatureSet Gaussian(Random random, int count, int dimensions, double mean)
    {
        var values = new float[count * dimensions];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(mean + Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return new FeatureSet(values, count, dimensions, 0);
    }

    private static FeatureSet Map(FeatureSet x, Func<double, int, double> f) =>
        new(x.Values.Select((v, i) => (float)f(v, i % x.Dimensions)).ToArray(), x.Count, x.Dimensions, 0);

    private static (double[] Mean, double Trace) MeanAndTrace(FeatureSet x)
    {
        var mean = new double[x.Dimensions];
        for (int i = 0; i < x.Count; i++)
            for (int d = 0; d < x.Dimensions; d++) mean[d] += x.Values[i * x.Dimensions + d] / (double)x.Count;
        double trace = 0;
        for (int i = 0; i < x.Count; i++)
            for (int d = 0; d < x.Dimensions; d++) trace += Math.Pow(x.Values[i * x.Dimensions + d] - mean[d], 2) / (x.Count - 1);
        return (mean, trace);
    }

    private static float[] Row(FeatureSet f, int i) => f.Values.AsSpan(i * f.Dimensions, f.Dimensions).ToArray();
}
