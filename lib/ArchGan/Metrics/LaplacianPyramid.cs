using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// Laplacian pyramids of image batches (Burt and Adelson 1983), as used by the sliced Wasserstein distance of
/// Karras et al. 2018, "Progressive Growing of GANs for Improved Quality, Stability, and Variation" (ICLR 2018,
/// appendix D): the 5 x 5 binomial filter [1, 4, 6, 4, 1] ⊗ [1, 4, 6, 4, 1] / 256 with mirrored borders
/// (d c b | a b c d | c b a, the edge pixel not repeated), the same as OpenCV's <c>pyrDown</c> and <c>pyrUp</c>.
/// </summary>
/// <remarks>
/// Images are float tensors of shape N x C x H x W with even H and W at every level but the last. Level 0 is the
/// full-size band-pass image <c>x − Up(Down(x))</c>, level 1 the same for <c>Down(x)</c>, and so on; the last
/// level is the low-pass image itself. <see cref="Collapse"/> undoes <see cref="Build"/> exactly (up to rounding).
/// </remarks>
public static class LaplacianPyramid
{
    private static readonly float[] Binomial = { 1, 4, 6, 4, 1 };

    /// <summary>The side of every level for images of side <paramref name="size"/>, halving down to
    /// <paramref name="minResolution"/>: 128 with 16 → [128, 64, 32, 16].</summary>
    /// <exception cref="ArgumentException">The size is smaller than the minimum, or does not halve exactly down to it.</exception>
    public static int[] Resolutions(int size, int minResolution = 16)
    {
        if (minResolution < 1) throw new ArgumentOutOfRangeException(nameof(minResolution), minResolution, "The smallest level must be at least 1 pixel.");
        if (size < minResolution)
            throw new ArgumentException($"Images of {size} x {size} are smaller than the pyramid's smallest level ({minResolution} x {minResolution}).", nameof(size));
        var sides = new List<int> { size };
        while (sides[^1] > minResolution)
        {
            if (sides[^1] % 2 != 0 || sides[^1] / 2 < minResolution)
                throw new ArgumentException($"Images of {size} x {size} do not halve exactly down to {minResolution} x {minResolution}; use a size of {minResolution} times a power of two (e.g. 32, 64, 128, 256).", nameof(size));
            sides.Add(sides[^1] / 2);
        }
        return sides.ToArray();
    }

    /// <summary>
    /// The pyramid of <paramref name="images"/> (float, N x C x H x W) with <paramref name="levels"/> levels: band-pass
    /// levels from full size down, then the low-pass residual. The caller owns (and disposes) the returned tensors.
    /// </summary>
    public static Tensor[] Build(Tensor images, int levels)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected images of shape N x C x H x W, got [{string.Join(", ", images.shape)}].", nameof(images));
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "A pyramid has at least one level.");
        var pyramid = new Tensor[levels];
        using (var scope = torch.NewDisposeScope())
        {
            var current = images.to(ScalarType.Float32);
            for (int level = 0; level < levels - 1; level++)
            {
                if (current.shape[2] % 2 != 0 || current.shape[3] % 2 != 0)
                    throw new ArgumentException($"Level {level} is {current.shape[2]} x {current.shape[3]}: sides must be even to go down another level.", nameof(levels));
                var down = Down(current);
                pyramid[level] = current.sub(Up(down)).MoveToOuterDisposeScope();
                current = down;
            }
            pyramid[levels - 1] = current.clone().MoveToOuterDisposeScope();
        }
        return pyramid;
    }

    /// <summary>Rebuilds the images from a pyramid made by <see cref="Build"/>: from the low-pass level up, upsample and add each band.</summary>
    public static Tensor Collapse(IReadOnlyList<Tensor> pyramid)
    {
        if (pyramid.Count == 0) throw new ArgumentException("The pyramid is empty.", nameof(pyramid));
        using var scope = torch.NewDisposeScope();
        var image = pyramid[^1];
        for (int level = pyramid.Count - 2; level >= 0; level--)
            image = pyramid[level].add(Up(image));
        return image.clone().MoveToOuterDisposeScope();
    }

    /// <summary>Blur with the binomial filter (mirrored borders), then keep every second row and column: OpenCV's <c>pyrDown</c>.</summary>
    public static Tensor Down(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        var blurred = Blur(images, 1.0f, stride: 2);
        return blurred.MoveToOuterDisposeScope();
    }

    /// <summary>Double the size by inserting zeros between pixels, then blur with 4 x the binomial filter (mirrored borders): OpenCV's <c>pyrUp</c>.</summary>
    /// <remarks>Computed per axis without the zeros: with the taps that meet a pixel, even outputs are
    /// (x[i−1] + 6·x[i] + x[i+1]) / 8 and odd outputs (x[i] + x[i+1]) / 2, where mirroring the zero-filled image makes
    /// x[−1] = x[1] and x[n] = x[n−1].</remarks>
    public static Tensor Up(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        var result = UpAxis(UpAxis(images, 3), 2);
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor UpAxis(Tensor x, int dim)
    {
        long n = x.shape[dim];
        var before = n > 1 ? x.narrow(dim, 1, 1) : x.narrow(dim, 0, 1);
        var padded = torch.cat(new[] { before, x, x.narrow(dim, n - 1, 1) }, dim);
        var left = padded.narrow(dim, 0, n);
        var centre = padded.narrow(dim, 1, n);
        var right = padded.narrow(dim, 2, n);
        var even = left.add(right).add(centre, alpha: 6).div(8);
        var odd = centre.add(right).div(2);
        var shape = x.shape.ToArray();
        shape[dim] = 2 * n;
        return torch.stack(new[] { even, odd }, dim + 1).reshape(shape);
    }

    private static Tensor Blur(Tensor images, float gain, long stride)
    {
        long channels = images.shape[1];
        var taps = new float[25];
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                taps[y * 5 + x] = Binomial[y] * Binomial[x] * gain / 256f;
        // One depthwise filter per channel; torch's "reflect" padding is the mirror without repeating the edge.
        var kernel = torch.tensor(taps, new long[] { 1, 1, 5, 5 }).to(images.dtype).expand(channels, 1, 5, 5).contiguous();
        var padded = torch.nn.functional.pad(images, new long[] { 2, 2, 2, 2 }, PaddingModes.Reflect);
        return torch.nn.functional.conv2d(padded, kernel, strides: new[] { stride, stride }, groups: channels);
    }
}
