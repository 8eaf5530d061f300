using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// The sliced Wasserstein distance (SWD) between the local image patches of two image sets, from Karras et al. 2018,
/// "Progressive Growing of GANs for Improved Quality, Stability, and Variation" (ICLR 2018, section 5 and appendix D).
/// It needs no pretrained network, so it can be computed anywhere, on any kind of image.
/// </summary>
/// <remarks>
/// <para>Each image (RGB, values 0 to 255) is split into a <see cref="LaplacianPyramid"/> from full size down to
/// <see cref="MinResolution"/>. At every level, <see cref="PatchesPerImage"/> patches of
/// <see cref="PatchSize"/> x <see cref="PatchSize"/> x 3 are cut from each image at random centres (whole patches
/// inside the level); each set's patches are normalized per colour channel (minus the mean, divided by the standard
/// deviation over all its patches and pixels), so the distance compares the shape of the patch distributions rather
/// than overall brightness. Both sets' patches (147-dimensional vectors) are then projected on
/// <see cref="Repeats"/> x <see cref="DirectionsPerRepeat"/> random unit directions; along one direction the
/// Wasserstein-1 distance between two equally sized samples is the mean absolute difference of their sorted
/// projections, and the SWD is the mean over directions and repeats, reported x 1000.</para>
/// <para>Patch positions and directions come from <c>seed</c>: the same sets and seed give the same numbers. Two
/// samples of the same distribution do not give 0 but a floor that falls with more images (Karras et al. use
/// 16384 per set); compare numbers computed with the same image count only.</para>
/// <para>Pyramids are built a batch of images at a time; the patches of every level are kept, N x
/// <see cref="PatchesPerImage"/> x 147 floats per level and set (about 5 MB per level for 64 images), so memory
/// grows with the number of images, not with their size.</para>
/// </remarks>
public sealed class SlicedWasserstein
{
    /// <summary>Patches cut from each image at each level (128 in the paper).</summary>
    public int PatchesPerImage { get; init; } = 128;

    /// <summary>Side of a patch (7 in the paper); odd.</summary>
    public int PatchSize { get; init; } = 7;

    /// <summary>Random directions drawn per repeat (128 in the paper).</summary>
    public int DirectionsPerRepeat { get; init; } = 128;

    /// <summary>Times a fresh set of directions is drawn (4 in the paper).</summary>
    public int Repeats { get; init; } = 4;

    /// <summary>Side of the coarsest, low-pass level (16 in the paper).</summary>
    public int MinResolution { get; init; } = 16;

    /// <summary>Images turned into pyramids at once; only affects memory, never the result.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The paper's settings: 128 patches of 7 x 7 per image and level, 4 x 128 directions, levels down to 16 x 16.</summary>
    public static SlicedWasserstein Default { get; } = new();

    /// <summary>SWD between two image sets with the paper's settings.</summary>
    public static SwdResult Measure(ImageSet real, ImageSet fake, long seed = 0) => Default.Compute(real, fake, seed);

    /// <summary>SWD between two sets of the same count and size.</summary>
    /// <exception cref="ArgumentException">The sets differ in count or size, or are empty.</exception>
    public SwdResult Compute(ImageSet real, ImageSet fake, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        Check(real.Count, real.Size, fake.Count, fake.Size);
        using var a = real.ToTensor();
        using var b = fake.ToTensor();
        return Compute(a, b, seed);
    }

    /// <summary>
    /// SWD between two image tensors of shape N x 3 x S x S with values 0 to 255 (any dtype, e.g. the uint8 of
    /// <see cref="ImageSet.ToTensor"/>; for generator output in [-1, 1] use <c>(x + 1) * 127.5</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors differ in shape, or are not N x 3 x S x S.</exception>
    public SwdResult Compute(Tensor real, Tensor fake, long seed = 0)
    {
        CheckSettings();
        CheckShape(real, nameof(real));
        CheckShape(fake, nameof(fake));
        Check((int)real.shape[0], (int)real.shape[2], (int)fake.shape[0], (int)fake.shape[2]);
        int count = (int)real.shape[0], size = (int)real.shape[2];
        var resolutions = LaplacianPyramid.Resolutions(size, MinResolution);
        if (resolutions[^1] < PatchSize)
            throw new ArgumentException($"The coarsest level ({resolutions[^1]} px) is smaller than a patch ({PatchSize} px).");

        using var realPatches = new torch.Generator(Mix(seed, 1));
        using var fakePatches = new torch.Generator(Mix(seed, 2));
        using var directions = new torch.Generator(Mix(seed, 3));
        var distances = new double[resolutions.Length];
        using (var scope = torch.NewDisposeScope())
        {
            var a = Descriptors(real, resolutions, realPatches);
            var b = Descriptors(fake, resolutions, fakePatches);
            for (int level = 0; level < resolutions.Length; level++)
                distances[level] = Distance(a[level], b[level], directions, Repeats, DirectionsPerRepeat) * 1000;
        }
        return new SwdResult(resolutions, distances, count, seed);
    }

    /// <summary>
    /// Sliced Wasserstein distance between two equally sized point sets (M x D rows): the mean, over
    /// <paramref name="repeats"/> x <paramref name="directionsPerRepeat"/> random unit directions, of the mean absolute
    /// difference between the sorted projections. Not scaled by 1000.
    /// </summary>
    public static double Distance(Tensor a, Tensor b, torch.Generator random, int repeats = 4, int directionsPerRepeat = 128)
    {
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"Expected two point sets of the same shape M x D, got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        double total = 0;
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            using var scope = torch.NewDisposeScope();
            var dirs = torch.randn(new[] { (long)directionsPerRepeat, a.shape[1] }, generator: random);
            dirs = dirs.div(dirs.norm(1, keepdim: true));
            // Directions x points: each direction's projections in one contiguous row, sorted along it.
            var projA = dirs.mm(a.t()).sort(1).Values;
            var projB = dirs.mm(b.t()).sort(1).Values;
            total += projA.sub(projB).abs().to(ScalarType.Float64).mean().ToDouble();
        }
        return total / repeats;
    }

    /// <summary>For every level, all patches of every image, normalized per channel: M x (3 · PatchSize²), M = N · PatchesPerImage.</summary>
    private Tensor[] Descriptors(Tensor images, int[] resolutions, torch.Generator random)
    {
        long count = images.shape[0];
        int levels = resolutions.Length, half = PatchSize / 2;
        // Centres for the whole set first, so batching cannot change which patches are drawn.
        var centres = resolutions.Select(side => (
            Y: torch.randint(half, side - half, new[] { count, PatchesPerImage }, dtype: ScalarType.Int64, generator: random),
            X: torch.randint(half, side - half, new[] { count, PatchesPerImage }, dtype: ScalarType.Int64, generator: random))).ToArray();
        var batches = Enumerable.Range(0, levels).Select(_ => new List<Tensor>()).ToArray();
        for (long start = 0; start < count; start += BatchSize)
        {
            long n = Math.Min(BatchSize, count - start);
            using var batchScope = torch.NewDisposeScope();
            var pyramid = LaplacianPyramid.Build(images.narrow(0, start, n).to(ScalarType.Float32), levels);
            for (int level = 0; level < levels; level++)
                batches[level].Add(CutPatches(pyramid[level], centres[level].Y.narrow(0, start, n), centres[level].X.narrow(0, start, n), PatchSize)
                    .MoveToOuterDisposeScope());
        }
        return batches.Select(parts =>
        {
            var patches = torch.cat(parts, 0);
            var mean = patches.mean(new long[] { 0, 2, 3 }, keepdim: true);
            var std = patches.std(new long[] { 0, 2, 3 }, unbiased: false, keepdim: true).clamp_min(1e-8);
            return patches.sub(mean).div(std).reshape(patches.shape[0], -1);
        }).ToArray();
    }

    /// <summary>
    /// The <paramref name="size"/> x <paramref name="size"/> patches of <paramref name="images"/> (N x C x H x W) centred at
    /// (<paramref name="ys"/>[i, p], <paramref name="xs"/>[i, p]) (both N x P): (N·P) x C x size x size, image by image.
    /// </summary>
    internal static Tensor CutPatches(Tensor images, Tensor ys, Tensor xs, int size)
    {
        using var scope = torch.NewDisposeScope();
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3], perImage = ys.shape[1];
        int half = size / 2;
        var offsets = torch.arange(-half, half + 1, dtype: ScalarType.Int64);
        // Flat index of (image, channel, y + dy, x + dx) for every patch.
        var plane = torch.arange(n, dtype: ScalarType.Int64).repeat_interleave(perImage).view(-1, 1, 1, 1).mul(channels)
            .add(torch.arange(channels, dtype: ScalarType.Int64).view(1, -1, 1, 1));
        var y = ys.reshape(-1, 1, 1, 1).add(offsets.view(1, 1, -1, 1));
        var x = xs.reshape(-1, 1, 1, 1).add(offsets.view(1, 1, 1, -1));
        var index = plane.mul(height).add(y).mul(width).add(x);
        return images.contiguous().take(index).MoveToOuterDisposeScope();
    }

    private void CheckSettings()
    {
        if (PatchesPerImage < 1) throw new ArgumentOutOfRangeException(nameof(PatchesPerImage), PatchesPerImage, "Need at least one patch per image.");
        if (PatchSize < 1 || PatchSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(PatchSize), PatchSize, "The patch size must be odd and positive.");
        if (DirectionsPerRepeat < 1) throw new ArgumentOutOfRangeException(nameof(DirectionsPerRepeat), DirectionsPerRepeat, "Need at least one direction.");
        if (Repeats < 1) throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "Need at least one repeat.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
    }

    private static void CheckShape(Tensor images, string name)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != images.shape[3])
            throw new ArgumentException($"Expected RGB images of shape N x 3 x S x S, got [{string.Join(", ", images.shape)}].", name);
    }

    private static void Check(int realCount, int realSize, int fakeCount, int fakeSize)
    {
        if (realCount != fakeCount)
            throw new ArgumentException($"The sliced Wasserstein distance compares sets of the same size, got {realCount} real and {fakeCount} generated images; use the same number of each (e.g. the smaller count).");
        if (realSize != fakeSize)
            throw new ArgumentException($"Both sets must have the same image size, got {realSize} x {realSize} real and {fakeSize} x {fakeSize} generated images.");
        if (realCount == 0)
            throw new ArgumentException("Both image sets are empty.");
    }

    /// <summary>A seed for one purpose (patches of one set, directions) from the user's seed: splitmix64, so that
    /// nearby seeds and purposes never share a stream.</summary>
    private static ulong Mix(long seed, ulong purpose)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + purpose * 0xBF58476D1CE4E5B9UL + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
