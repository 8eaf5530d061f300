using ArchGan.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Metrics;

public class LaplacianPyramidTests
{
    [Theory]
    [InlineData(128, new[] { 128, 64, 32, 16 })]
    [InlineData(256, new[] { 256, 128, 64, 32, 16 })]
    [InlineData(32, new[] { 32, 16 })]
    [InlineData(16, new[] { 16 })]
    public void Levels_halve_from_full_size_down_to_16(int size, int[] expected) =>
        Assert.Equal(expected, LaplacianPyramid.Resolutions(size));

    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(48)]
    public void Sizes_that_do_not_halve_down_to_16_are_refused(int size) =>
        Assert.Throws<ArgumentException>(() => LaplacianPyramid.Resolutions(size));

    [Fact]
    public void Pyramid_has_one_tensor_per_level_of_the_right_shape_and_collapses_back_to_the_image()
    {
        using var scope = torch.NewDisposeScope();
        using var random = new torch.Generator(1);
        var images = torch.rand(new long[] { 2, 3, 128, 128 }, generator: random).mul(255);
        var pyramid = LaplacianPyramid.Build(images, 4);
        Assert.Equal(4, pyramid.Length);
        for (int level = 0; level < 4; level++)
            Assert.Equal(new long[] { 2, 3, 128 >> level, 128 >> level }, pyramid[level].shape);
        // Band-pass levels of noise are centred on zero; the low-pass level keeps the mean brightness (about 127).
        Assert.InRange(pyramid[0].mean().ToDouble(), -2, 2);
        Assert.InRange(pyramid[3].mean().ToDouble(), 120, 135);
        var back = LaplacianPyramid.Collapse(pyramid);
        Assert.True(back.sub(images).abs().max().ToDouble() < 1e-3);
    }

    [Fact]
    public void A_constant_image_has_empty_bands_and_a_constant_low_pass()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.full(new long[] { 1, 3, 64, 64 }, 77f);
        var pyramid = LaplacianPyramid.Build(images, 3);
        Assert.True(pyramid[0].abs().max().ToDouble() < 1e-4);
        Assert.True(pyramid[1].abs().max().ToDouble() < 1e-4);
        Assert.True(pyramid[2].sub(77).abs().max().ToDouble() < 1e-4);
    }

    [Fact]
    public void Down_and_up_match_a_direct_per_pixel_computation_with_mirrored_borders()
    {
        using var scope = torch.NewDisposeScope();
        const int h = 10, w = 12;
        var random = new Random(3);
        var values = Enumerable.Range(0, 2 * h * w).Select(_ => (float)random.Next(256)).ToArray();
        var image = torch.tensor(values, new long[] { 1, 2, h, w });

        var down = LaplacianPyramid.Down(image);
        Assert.Equal(new long[] { 1, 2, h / 2, w / 2 }, down.shape);
        var up = LaplacianPyramid.Up(image);
        Assert.Equal(new long[] { 1, 2, 2 * h, 2 * w }, up.shape);
        for (int c = 0; c < 2; c++)
        {
            float At(int y, int x) => values[(c * h + Mirror(y, h)) * w + Mirror(x, w)];
            for (int y = 0; y < h / 2; y++)
                for (int x = 0; x < w / 2; x++)
                    Assert.Equal(Filter((dy, dx) => At(2 * y + dy, 2 * x + dx)), down[0, c, y, x].ToSingle(), 0.01);
            // Up: zeros between the pixels, mirrored at the border of the doubled image, filtered with 4 x the kernel.
            float Spread(int y, int x)
            {
                y = Mirror(y, 2 * h);
                x = Mirror(x, 2 * w);
                return y % 2 == 0 && x % 2 == 0 ? values[(c * h + y / 2) * w + x / 2] : 0;
            }
            for (int y = 0; y < 2 * h; y++)
                for (int x = 0; x < 2 * w; x++)
                    Assert.Equal(4 * Filter((dy, dx) => Spread(y + dy, x + dx)), up[0, c, y, x].ToSingle(), 0.01);
        }
    }

    private static readonly int[] Binomial = { 1, 4, 6, 4, 1 };

    private static double Filter(Func<int, int, float> at)
    {
        double sum = 0;
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
                sum += Binomial[dy + 2] * Binomial[dx + 2] * at(dy, dx);
        return sum / 256;
    }

    /// <summary>Reflection without repeating the edge: -1 → 1, n → n − 2.</summary>
    private static int Mirror(int i, int n) => i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}
