using ArchGan.Data;

namespace ArchGan.Tests.Data;

public class FacadesTests
{
    [Fact]
    public void SameSeedCountAndSizeGiveIdenticalBytes()
    {
        var a = Facades.Generate(24, 64, seed: 7);
        var b = Facades.Generate(24, 64, seed: 7);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Names, b.Names);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentImages()
    {
        var a = Facades.Generate(16, 32, seed: 1);
        var b = Facades.Generate(16, 32, seed: 2);
        for (int i = 0; i < a.Count; i++)
            Assert.False(a.Image(i).SequenceEqual(b.Image(i)), $"Image {i} is the same for seeds 1 and 2.");
    }

    [Fact]
    public void ImageDependsOnlyOnSeedAndIndexNotOnCount()
    {
        var small = Facades.Generate(10, 64, seed: 3);
        var large = Facades.Generate(100, 64, seed: 3);
        for (int i = 0; i < small.Count; i++)
        {
            Assert.True(small.Image(i).SequenceEqual(large.Image(i)), $"Image {i} changed with the set's size.");
            Assert.Equal(small.Names[i], large.Names[i]);
        }
    }

    [Fact]
    public void NoTwoImagesInASetAreTheSame()
    {
        var set = Facades.Generate(64, 32, seed: 0);
        var distinct = Enumerable.Range(0, set.Count).Select(i => Convert.ToBase64String(set.Image(i))).Distinct().Count();
        Assert.Equal(set.Count, distinct);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    public void SetHasRequestedCountAndSize(int size)
    {
        var set = Facades.Generate(5, size, seed: 11);
        Assert.Equal(5, set.Count);
        Assert.Equal(size, set.Size);
        Assert.Equal(5 * 3 * size * size, set.Pixels.Length);
        Assert.Equal(5, set.Names.Count);
    }

    [Fact]
    public void ZeroImagesGiveAnEmptySet()
    {
        var set = Facades.Generate(0, 64);
        Assert.Equal(0, set.Count);
        Assert.Empty(set.Pixels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-123)]
    public void EveryStyleAppearsInSixtyFourImages(int seed)
    {
        var styles = Enumerable.Range(0, 64).Select(i => Facades.StyleOf(i, seed)).ToHashSet();
        Assert.Equal(Enum.GetValues<FacadeStyle>().ToHashSet(), styles);
    }

    [Fact]
    public void NamesReportTheStyleThatStyleOfPredicts()
    {
        var set = Facades.Generate(32, 32, seed: 9);
        for (int i = 0; i < set.Count; i++)
            Assert.Equal($"{Facades.StyleOf(i, 9).ToString().ToLowerInvariant()}-{i}", set.Names[i]);
    }

    [Fact]
    public void StylesDrawDifferentPictures()
    {
        // Mean image per style: if two styles were drawn by the same code their means would nearly coincide.
        var set = Facades.Generate(128, 32, seed: 4);
        var means = Enum.GetValues<FacadeStyle>().ToDictionary(s => s, _ => new double[set.ImageBytes]);
        var counts = new Dictionary<FacadeStyle, int>();
        for (int i = 0; i < set.Count; i++)
        {
            var style = Facades.StyleOf(i, 4);
            counts[style] = counts.GetValueOrDefault(style) + 1;
            var image = set.Image(i);
            for (int p = 0; p < image.Length; p++) means[style][p] += image[p];
        }
        var styles = means.Keys.ToArray();
        for (int a = 0; a < styles.Length; a++)
            for (int b = a + 1; b < styles.Length; b++)
            {
                double diff = 0;
                for (int p = 0; p < set.ImageBytes; p++)
                    diff += Math.Abs(means[styles[a]][p] / counts[styles[a]] - means[styles[b]][p] / counts[styles[b]]);
                Assert.True(diff / set.ImageBytes > 4, $"{styles[a]} and {styles[b]} look alike on average ({diff / set.ImageBytes:F1}).");
            }
    }

    [Fact]
    public void ImagesAreNotFlat()
    {
        var set = Facades.Generate(64, 64, seed: 12);
        for (int i = 0; i < set.Count; i++)
            Assert.True(LuminanceStd(set, i) > 20, $"Image {i} ({set.Names[i]}) is nearly flat: std {LuminanceStd(set, i):F1}.");
    }

    [Fact]
    public void ImagesAreSmoothNotNoise()
    {
        // Drawn shapes make neighbouring pixels mostly equal; the same pixels shuffled lose that.
        var set = Facades.Generate(32, 64, seed: 13);
        var random = new Random(1);
        for (int i = 0; i < set.Count; i++)
        {
            var lum = Luminance(set, i);
            double drawn = NeighbourDifference(lum, set.Size);
            var shuffled = lum.ToArray();
            random.Shuffle(shuffled);
            double noise = NeighbourDifference(shuffled, set.Size);
            Assert.True(drawn < noise / 2, $"Image {i} ({set.Names[i]}): neighbour difference {drawn:F1} vs {noise:F1} shuffled.");
        }
    }

    [Fact]
    public void PlanesAreRedGreenBlueWithSkyAtTheTop()
    {
        // Channels first: the top rows are sky, so the third plane (blue) outweighs the first (red) there.
        var set = Facades.Generate(64, 64, seed: 14);
        int s = set.Size, plane = s * s;
        double red = 0, blue = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var image = set.Image(i);
            for (int p = 0; p < 2 * s; p++)
            {
                red += image[p];
                blue += image[2 * plane + p];
            }
        }
        Assert.True(blue > red * 1.2, $"Top rows: red {red / (2 * s * set.Count):F0}, blue {blue / (2 * s * set.Count):F0}.");
    }

    [Fact]
    public void GroundIsDarkerThanSky()
    {
        var set = Facades.Generate(64, 64, seed: 15);
        int s = set.Size;
        double top = 0, bottom = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var lum = Luminance(set, i);
            for (int x = 0; x < s; x++)
            {
                top += lum[x];
                bottom += lum[(s - 1) * s + x];
            }
        }
        Assert.True(bottom < top * 0.85, $"Bottom row {bottom / (s * set.Count):F0}, top row {top / (s * set.Count):F0}.");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void NegativeCountThrows(int count)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Facades.Generate(count, 64));
        Assert.Equal("count", e.ParamName);
    }

    [Fact]
    public void CountTooLargeForOneArrayThrows()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Facades.Generate(int.MaxValue / 1000, 256));
        Assert.Equal("count", e.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-64)]
    [InlineData(Facades.MinSize - 1)]
    [InlineData(Facades.MaxSize + 1)]
    public void SizeOutOfRangeThrows(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Facades.Generate(4, size));
        Assert.Equal("size", e.ParamName);
    }

    [Fact]
    public void SmallestSizeWorks()
    {
        var set = Facades.Generate(3, Facades.MinSize);
        Assert.Equal(Facades.MinSize, set.Size);
        Assert.True(LuminanceStd(set, 0) > 10);
    }

    [Fact]
    public void NegativeIndexThrows()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Facades.StyleOf(-1, 0));
        Assert.Equal("index", e.ParamName);
    }

    private static double[] Luminance(ImageSet set, int index)
    {
        var image = set.Image(index);
        int plane = set.Size * set.Size;
        var lum = new double[plane];
        for (int p = 0; p < plane; p++)
            lum[p] = 0.299 * image[p] + 0.587 * image[plane + p] + 0.114 * image[2 * plane + p];
        return lum;
    }

    private static double LuminanceStd(ImageSet set, int index)
    {
        var lum = Luminance(set, index);
        double mean = lum.Average();
        return Math.Sqrt(lum.Sum(v => (v - mean) * (v - mean)) / lum.Length);
    }

    private static double NeighbourDifference(double[] lum, int size)
    {
        double sum = 0;
        for (int y = 0; y < size; y++)
            for (int x = 1; x < size; x++)
                sum += Math.Abs(lum[y * size + x] - lum[y * size + x - 1]);
        return sum / (size * (size - 1));
    }
}
