using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Training;

public class AugmentationTests
{
    private static bool Eq(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    // Distinct values everywhere (none zero), so moved and zeroed pixels can be told apart.
    private static Tensor Images(int n = 4, int size = 16) =>
        torch.rand(new long[] { n, 3, size, size }, generator: new torch.Generator(3)).mul_(0.8).add_(0.1);

    [Fact]
    public void Translation_moves_each_image_by_whole_pixels_within_an_eighth_and_fills_with_zeros()
    {
        var x = Images(8, 32);
        var y = Augmentation.Translate(x, 1.0 / 8, new torch.Generator(5));
        int moved = 0;
        for (int n = 0; n < 8; n++)
        {
            // Find the shift that explains the output: every covered pixel equal, every uncovered one zero.
            var match = Enumerable.Range(-4, 9).SelectMany(dy => Enumerable.Range(-4, 9).Select(dx => (dy, dx)))
                .Where(s => Eq(y[n], Shifted(x[n], s.dy, s.dx))).ToList();
            Assert.Single(match);
            if (match[0] != (0, 0)) moved++;
        }
        Assert.True(moved >= 6, $"only {moved} of 8 images moved");
    }

    private static Tensor Shifted(Tensor image, int dy, int dx)
    {
        long s = image.shape[1];
        var result = torch.zeros_like(image);
        for (long i = 0; i < s; i++)
            for (long j = 0; j < s; j++)
            {
                long si = i - dy, sj = j - dx;
                if (si >= 0 && si < s && sj >= 0 && sj < s) result[.., i, j] = image[.., si, sj];
            }
        return result;
    }

    [Fact]
    public void Cutout_zeroes_one_square_of_half_the_side_in_every_channel_of_each_image()
    {
        var x = Images(6, 16);
        var y = Augmentation.Cutout(x, 0.5, new torch.Generator(9));
        for (int n = 0; n < 6; n++)
        {
            var zero = y[n].eq(0);
            Assert.Equal(3 * 8 * 8, zero.sum().item<long>());
            Assert.True(Eq(zero[0], zero[1]) && Eq(zero[0], zero[2]));
            var rows = zero[0].any(1).nonzero().flatten();
            var cols = zero[0].any(0).nonzero().flatten();
            Assert.Equal(8, rows.shape[0]);
            Assert.Equal(8, cols.shape[0]);
            Assert.Equal(7, (rows[-1] - rows[0]).item<long>()); // contiguous
            var kept = zero[0].logical_not();
            Assert.True(Eq(y[n][0].masked_select(kept), x[n][0].masked_select(kept)));
        }
    }

    [Fact]
    public void Color_changes_each_image_differently_and_keeps_the_shape()
    {
        var x = Images(4, 16);
        var y = Augmentation.Color(x, new torch.Generator(2));
        Assert.Equal(x.shape, y.shape);
        var change = (y - x).abs().mean(new long[] { 1, 2, 3 });
        Assert.True(change.min().item<float>() > 1e-3);
        Assert.True((change.max() - change.min()).item<float>() > 1e-3, "every image got the same change");
    }

    [Fact]
    public void The_generators_gradient_passes_through_every_augmentation()
    {
        var x = Images(4, 16).requires_grad_();
        var y = Augmentation.Apply(x, "color,translation,cutout", new torch.Generator(1));
        y.sum().backward();
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_augmentation_and_an_empty_policy_changes_nothing()
    {
        var x = Images();
        Assert.True(Eq(Augmentation.Apply(x, "color,cutout", new torch.Generator(4)), Augmentation.Apply(x, "color,cutout", new torch.Generator(4))));
        Assert.False(Eq(Augmentation.Apply(x, "color,cutout", new torch.Generator(4)), Augmentation.Apply(x, "color,cutout", new torch.Generator(5))));
        Assert.Same(x, Augmentation.Apply(x, ""));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("color", true)]
    [InlineData("color, translation,cutout", true)]
    [InlineData("Cutout", true)]
    [InlineData("blur", false)]
    [InlineData("color,color", false)]
    public void Policies_are_checked(string policy, bool valid)
    {
        Assert.Equal(valid, Augmentation.IsValidPolicy(policy));
        if (!valid)
        {
            var e = Assert.Throws<HyperparameterException>(() => (Hyperparameters.Quick with { DiffAugment = policy }).Validate());
            Assert.Equal(nameof(Hyperparameters.DiffAugment), e.Field);
            Assert.Contains("translation", e.Message);
        }
    }
}
