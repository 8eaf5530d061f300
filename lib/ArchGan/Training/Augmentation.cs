using ArchGan.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>
/// Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN
/// Training"). The same random transformations are applied to real and generated images before D sees them,
/// built from differentiable tensor operations so G's gradient passes through. D then cannot tell real from
/// fake by memorizing the few training photos, and G is not taught to draw the augmentations, since D sees
/// them on both sides. Images are N x 3 x S x S in [-1, 1]; each image gets its own random draw.
/// </summary>
public static class Augmentation
{
    /// <summary>The transformations a policy may name, in the order they are applied.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "color", "translation", "cutout" };

    /// <summary>True for an empty policy or a list of distinct <see cref="Names"/> separated by commas or plus signs.</summary>
    public static bool IsValidPolicy(string? policy)
    {
        if (policy is null) return false;
        var parts = Parse(policy);
        return parts.All(Names.Contains) && parts.Distinct().Count() == parts.Length;
    }

    /// <summary>
    /// <paramref name="images"/> transformed by every step of <paramref name="policy"/>, drawing from
    /// <paramref name="random"/>. Below a <paramref name="probability"/> of 1, each step applies to each image
    /// with that chance (<see cref="AdaptiveAugmentation"/>). An empty policy returns the input itself.
    /// </summary>
    public static Tensor Apply(Tensor images, string policy, torch.Generator? random = null, double probability = 1)
    {
        var parts = Parse(policy);
        foreach (var name in Names.Where(parts.Contains))
        {
            var transformed = name switch
            {
                "color" => Color(images, random),
                "translation" => Translate(images, 1.0 / 8, random),
                _ => Cutout(images, 0.5, random),
            };
            // At 1 no choice is drawn, so a recipe without adaptive strength draws the same numbers as before it.
            images = probability >= 1 ? transformed : torch.where(Chosen(images, probability, random), transformed, images);
        }
        return images;
    }

    // True for each image that a step with this chance applies to, shaped to broadcast over its pixels.
    private static Tensor Chosen(Tensor images, double probability, torch.Generator? random)
    {
        using var chance = probability.ToScalar();
        return PerImage(images, random).lt(chance);
    }

    private static string[] Parse(string policy) =>
        policy.Split(new[] { ',', '+' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToArray();

    // One uniform number in [0, 1) per image, shaped to broadcast over its pixels.
    private static Tensor PerImage(Tensor images, torch.Generator? random) =>
        torch.rand(new long[] { images.shape[0], 1, 1, 1 }, generator: random).to(images.device);

    /// <summary>Random brightness (±0.5), saturation (×0..2) and contrast (×0.5..1.5), per image.</summary>
    // Every number below is a Scalar held for the call (see SafeAdam for why a temporary one is not safe), and
    // sums are add(…, One), not `+`, whose alpha of 1 is a temporary Scalar (see HeldScalars).
    internal static Tensor Color(Tensor x, torch.Generator? random)
    {
        var one = HeldScalars.One;
        using var half = 0.5.ToScalar();
        using var two = 2.0.ToScalar();
        x = x.add(PerImage(x, random) - half, one);
        var gray = x.mean(new long[] { 1 }, keepdim: true);
        x = ((x - gray) * (PerImage(x, random) * two)).add(gray, one);
        var mean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);
        return ((x - mean) * PerImage(x, random).add(half, one)).add(mean, one);
    }

    /// <summary>
    /// Shifts each image by a random whole number of pixels, up to <paramref name="ratio"/> of its side in
    /// each direction, filling the uncovered border with zeros (mid-grey).
    /// </summary>
    internal static Tensor Translate(Tensor x, double ratio, torch.Generator? random)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long shift = (long)Math.Round(h * ratio);
        if (shift == 0) return x;
        // Offsets in [-shift, shift]; pixel (i, j) of the result is pixel (i - dy, j - dx) of the input.
        using var span = (2 * shift + 1).ToScalar();
        using var offset = shift.ToScalar();
        Tensor Offsets() => (torch.rand(new long[] { n, 1 }, generator: random) * span).floor().to(ScalarType.Int64) - offset;
        var dy = Offsets().to(x.device);
        var dx = Offsets().to(x.device);
        var padded = nn.functional.pad(x, new[] { shift, shift, shift, shift });
        var rows = (Range(h, x.device).unsqueeze(0).add(offset, HeldScalars.One) - dy).view(n, 1, h, 1).expand(n, c, h, w + 2 * shift);
        var cols = (Range(w, x.device).unsqueeze(0).add(offset, HeldScalars.One) - dx).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rows).gather(3, cols);
    }

    // 0, 1, …, count − 1, with its three Scalars held through the call (torch.arange(count) makes temporary ones).
    private static Tensor Range(long count, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        using var step = 1L.ToScalar();
        return torch.arange(start, stop, step, device: device);
    }

    /// <summary>Zeroes (mid-greys) one square of side <paramref name="ratio"/> × the image side at a random place in each image.</summary>
    internal static Tensor Cutout(Tensor x, double ratio, torch.Generator? random)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long size = (long)Math.Round(h * ratio);
        using var rowSpan = (h - size + 1).ToScalar();
        using var columnSpan = (w - size + 1).ToScalar();
        using var extent = size.ToScalar();
        var top = (torch.rand(new long[] { n, 1, 1 }, generator: random) * rowSpan).floor().to(x.device);
        var left = (torch.rand(new long[] { n, 1, 1 }, generator: random) * columnSpan).floor().to(x.device);
        var y = Range(h, x.device).view(1, h, 1);
        var xs = Range(w, x.device).view(1, 1, w);
        var inside = (y >= top) & (y < top.add(extent, HeldScalars.One)) & (xs >= left) & (xs < left.add(extent, HeldScalars.One));
        return x * (~inside).unsqueeze(1).to(x.dtype);
    }
}
