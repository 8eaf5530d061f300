using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Metrics;

/// <summary>Degraded copies of image sets, to check that the metrics order them as expected.</summary>
internal static class MetricImages
{
    /// <summary>Each image blurred by a Gaussian of standard deviation <paramref name="sigma"/> pixels (reflected borders).</summary>
    public static ImageSet Blur(ImageSet set, double sigma)
    {
        using var scope = torch.NewDisposeScope();
        int radius = (int)Math.Ceiling(3 * sigma);
        var taps = Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-i * i / (2 * sigma * sigma))).ToArray();
        var sum = taps.Sum();
        var row = torch.tensor(taps.Select(t => (float)(t / sum)).ToArray());
        var kernel = row.view(-1, 1).mul(row.view(1, -1)).expand(3, 1, 2 * radius + 1, 2 * radius + 1).contiguous();
        var x = set.ToTensor().to(ScalarType.Float32);
        x = torch.nn.functional.pad(x, new long[] { radius, radius, radius, radius }, PaddingModes.Reflect);
        x = torch.nn.functional.conv2d(x, kernel, groups: 3);
        return FromFloat(x, set);
    }

    /// <summary>Each image's pixels moved to random places (the same permutation for the three channels): colours kept, structure gone.</summary>
    public static ImageSet ShufflePixels(ImageSet set, int seed = 0)
    {
        var random = new Random(seed);
        int plane = set.Size * set.Size;
        var pixels = new byte[set.Pixels.Length];
        for (int n = 0; n < set.Count; n++)
        {
            var order = Enumerable.Range(0, plane).OrderBy(_ => random.Next()).ToArray();
            for (int c = 0; c < 3; c++)
            {
                int offset = (n * 3 + c) * plane;
                for (int i = 0; i < plane; i++) pixels[offset + i] = set.Pixels[offset + order[i]];
            }
        }
        return new ImageSet(pixels, set.Count, set.Size);
    }

    /// <summary>Every pixel v turned into a · v + b (rounded, clamped).</summary>
    public static ImageSet Affine(ImageSet set, double a, double b) =>
        new(set.Pixels.Select(v => (byte)Math.Clamp(Math.Round(a * v + b), 0, 255)).ToArray(), set.Count, set.Size);

    /// <summary>Images <paramref name="indices"/> of <paramref name="set"/> as a new set.</summary>
    public static ImageSet Pick(ImageSet set, params int[] indices)
    {
        var pixels = new byte[indices.Length * set.ImageBytes];
        for (int i = 0; i < indices.Length; i++) set.Image(indices[i]).CopyTo(pixels.AsSpan(i * set.ImageBytes));
        return new ImageSet(pixels, indices.Length, set.Size);
    }

    /// <summary>Images <paramref name="start"/> .. start + count − 1.</summary>
    public static ImageSet Range(ImageSet set, int start, int count) => Pick(set, Enumerable.Range(start, count).ToArray());

    private static ImageSet FromFloat(Tensor x, ImageSet like)
    {
        var bytes = x.round().clamp(0, 255).to(ScalarType.Byte).contiguous().data<byte>().ToArray();
        return new ImageSet(bytes, like.Count, like.Size);
    }
}
