using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// Does the generator copy its training images? Compares each generated image's distance to its nearest training image
/// with the training set's own leave-one-out nearest-neighbour distances, on 32 x 32 area-averaged thumbnails. The
/// nearest-neighbour check of Karras et al. 2018 ("Progressive Growing of GANs", appendix, nearest neighbours of
/// generated images) made into a number: a median ratio near 0 means copies, near 1 images as novel as real ones are
/// from each other.
/// </summary>
public static class Uniqueness
{
    /// <summary>Side of the thumbnails compared.</summary>
    public const int ThumbnailSize = 32;

    private const int Chunk = 512;

    /// <summary>Nearest training image of every generated image, and the training set's own nearest-neighbour distances.</summary>
    /// <param name="generated">Images to check (any size; compared at 32 x 32).</param>
    /// <param name="training">The training images (at least two).</param>
    /// <param name="maxTrainingQueries">Training images whose leave-one-out distance enters the median: all when the set is
    /// smaller, otherwise a seeded random subset (each still searched against the whole set), so large sets stay fast.</param>
    /// <param name="seed">Seed of that subset.</param>
    /// <exception cref="ArgumentException">Fewer than two training images, or no generated image.</exception>
    public static UniquenessResult Measure(ImageSet generated, ImageSet training, int maxTrainingQueries = 2000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(training);
        if (generated.Count == 0) throw new ArgumentException("No generated images to check.", nameof(generated));
        if (training.Count < 2) throw new ArgumentException($"The training set needs at least 2 images for leave-one-out distances, got {training.Count}.", nameof(training));
        if (maxTrainingQueries < 1) throw new ArgumentOutOfRangeException(nameof(maxTrainingQueries), maxTrainingQueries, "Need at least one query.");

        using var scope = torch.NewDisposeScope();
        var train = Thumbnails.Of(training, ThumbnailSize);
        var gen = Thumbnails.Of(generated, ThumbnailSize);
        var (genDistances, genIndices) = Nearest(gen, train, null);

        var queries = Thumbnails.Subset(training.Count, maxTrainingQueries, seed);
        var (looDistances, _) = Nearest(train.index_select(0, torch.tensor(queries.Select(i => (long)i).ToArray())), train, queries);
        return new UniquenessResult(genDistances, genIndices, Thumbnails.Median(looDistances), queries.Length, training.Count);
    }

    /// <summary>Nearest row of <paramref name="references"/> for each row of <paramref name="queries"/>; when
    /// <paramref name="self"/> is given, query i is reference self[i] and may not be its own neighbour.</summary>
    private static (double[] Distances, int[] Indices) Nearest(Tensor queries, Tensor references, int[]? self)
    {
        long count = queries.shape[0];
        var distances = new double[count];
        var indices = new int[count];
        for (long start = 0; start < count; start += Chunk)
        {
            using var scope = torch.NewDisposeScope();
            long n = Math.Min(Chunk, count - start);
            var d = Thumbnails.Distances(queries.narrow(0, start, n), references);
            if (self != null)
            {
                var own = torch.tensor(self.Skip((int)start).Take((int)n).Select(i => (long)i).ToArray()).unsqueeze(1);
                d = d.scatter(1, own, torch.full(new[] { n, 1 }, double.PositiveInfinity, dtype: ScalarType.Float64));
            }
            var (values, where) = d.min(1);
            values.data<double>().CopyTo(distances, (int)start);
            var w = where.data<long>().ToArray();
            for (int i = 0; i < n; i++) indices[start + i] = (int)w[i];
        }
        return (distances, indices);
    }
}
