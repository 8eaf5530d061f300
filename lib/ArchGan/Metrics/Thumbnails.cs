using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>Small copies of images as flat vectors, and Euclidean distances between them: what the
/// nearest-neighbour and diversity measures compare.</summary>
internal static class Thumbnails
{
    private const int Batch = 256;

    /// <summary>
    /// Images <paramref name="indices"/> of <paramref name="set"/> area-averaged to <paramref name="side"/> x
    /// <paramref name="side"/>, pixels scaled to 0..1, as float64 rows of 3 · side² values (N x D).
    /// </summary>
    public static Tensor Of(ImageSet set, int side, IReadOnlyList<int>? indices = null)
    {
        indices ??= Enumerable.Range(0, set.Count).ToArray();
        using var scope = torch.NewDisposeScope();
        var rows = new List<Tensor>();
        for (int start = 0; start < indices.Count; start += Batch)
        {
            int n = Math.Min(Batch, indices.Count - start);
            var bytes = new byte[n * set.ImageBytes];
            for (int i = 0; i < n; i++) set.Image(indices[start + i]).CopyTo(bytes.AsSpan(i * set.ImageBytes));
            var images = torch.tensor(bytes, new long[] { n, 3, set.Size, set.Size }, dtype: ScalarType.Byte).to(ScalarType.Float32).div(255);
            var small = set.Size == side ? images : torch.nn.functional.adaptive_avg_pool2d(images, new long[] { side, side });
            rows.Add(small.reshape(n, -1).to(ScalarType.Float64));
        }
        return torch.cat(rows, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Euclidean distances between every row of <paramref name="a"/> and every row of <paramref name="b"/>
    /// (A x B), through |a|² + |b|² − 2a·b in float64 so that identical rows give (nearly) exactly 0.
    /// </summary>
    public static Tensor Distances(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var a2 = a.square().sum(1, keepdim: true);
        var b2 = b.square().sum(1).unsqueeze(0);
        var d2 = a2.add(b2).sub(a.mm(b.t()).mul(2)).clamp_min(0);
        return d2.sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>At most <paramref name="max"/> indices of 0..count−1, a seeded random subset in increasing order.</summary>
    public static int[] Subset(int count, int max, int seed)
    {
        if (count <= max) return Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        return Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(max).Order().ToArray();
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
