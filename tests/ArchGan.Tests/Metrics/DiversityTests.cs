using ArchGan.Data;
using ArchGan.Metrics;
using Xunit.Abstractions;

namespace ArchGan.Tests.Metrics;

public class DiversityTests(ITestOutputHelper output)
{
    private static readonly ImageSet Facades64 = Facades.Generate(64, 64, seed: 21);

    [Fact]
    public void Sixteen_copies_of_one_image_have_no_diversity()
    {
        var collapsed = MetricImages.Pick(Facades64, Enumerable.Repeat(7, 16).ToArray());
        var result = Diversity.Measure(collapsed, Facades64);
        output.WriteLine(result.ToString());
        Assert.True(result.Ratio < 1e-3, result.ToString());
        Assert.True(result.RealMeanDistance > 1);
        Assert.Equal(16, result.GeneratedCount);
        Assert.Equal(64, result.RealCount);
    }

    [Fact]
    public void Two_halves_of_a_facade_set_are_equally_diverse()
    {
        var result = Diversity.Measure(MetricImages.Range(Facades64, 0, 32), MetricImages.Range(Facades64, 32, 32));
        output.WriteLine(result.ToString());
        Assert.InRange(result.Ratio, 0.85, 1.15);
        Assert.Contains("Diversity: ", result.ToString());
    }

    [Fact]
    public void Few_distinct_images_repeated_are_less_diverse_than_many()
    {
        // Partial collapse: 4 designs repeated 8 times each. Every pair of equal images adds 0, so the ratio drops
        // to about 3/4 of the full set's (24 of 31 other images differ).
        var four = MetricImages.Pick(Facades64, Enumerable.Range(0, 32).Select(i => i % 4).ToArray());
        var partial = Diversity.Measure(four, Facades64);
        var full = Diversity.Measure(MetricImages.Range(Facades64, 0, 32), Facades64);
        output.WriteLine($"{partial}\n{full}");
        Assert.True(partial.Ratio < full.Ratio);
    }

    [Fact]
    public void Sets_of_fewer_than_two_images_are_refused() =>
        Assert.Throws<ArgumentException>(() => Diversity.Measure(MetricImages.Range(Facades64, 0, 1), Facades64));
}
