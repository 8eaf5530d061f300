using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Data;

/// <summary>
/// Cuts an <see cref="ImageSet"/> into shuffled batches of float images in [-1, 1], the range of the
/// generator's tanh (the article scaled to [-0.5, 0.5], so real and generated pixels never matched).
/// The order of epoch e depends only on (seed, e), so a resumed run sees exactly the batches an
/// uninterrupted one would. The last incomplete batch is dropped: BatchNorm on a batch of one is undefined.
/// </summary>
public sealed class ImageBatches : IDisposable
{
    private readonly Tensor images; // N x 3 x S x S, uint8: a quarter of the memory of floats
    private readonly int seed;
    private readonly bool flip;
    private int plannedEpoch = -1;
    private int[] order = Array.Empty<int>();
    private bool[] flips = Array.Empty<bool>();

    /// <summary>Holds <paramref name="set"/> as one uint8 tensor and plans batches of <paramref name="batchSize"/>.</summary>
    public ImageBatches(ImageSet set, int batchSize, int seed, bool flip = false)
    {
        if (batchSize <= 0) throw new HyperparameterException(nameof(Hyperparameters.BatchSize), batchSize, "a positive number");
        if (batchSize > set.Count)
            throw new HyperparameterException(nameof(Hyperparameters.BatchSize), batchSize, $"at most the number of images ({set.Count})");
        images = set.ToTensor();
        Count = set.Count;
        BatchSize = batchSize;
        this.seed = seed;
        this.flip = flip;
    }

    /// <summary>Images in the set.</summary>
    public int Count { get; }
    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Full batches per epoch.</summary>
    public int BatchesPerEpoch => Count / BatchSize;

    /// <summary>
    /// Batch <paramref name="index"/> of epoch <paramref name="epoch"/>: a new float tensor B x 3 x S x S in
    /// [-1, 1], on <paramref name="device"/>, owned by the caller (or the caller's dispose scope).
    /// </summary>
    public Tensor Batch(int epoch, int index, Device? device = null)
    {
        if ((uint)index >= (uint)BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"An epoch has {BatchesPerEpoch} batches.");
        Plan(epoch);
        using var scope = torch.NewDisposeScope();
        var picks = order.AsSpan(index * BatchSize, BatchSize).ToArray();
        // Scalars held for the calls: a temporary one can be freed mid-call by another thread's collection (see SafeAdam).
        using var halfRange = 127.5.ToScalar();
        using var one = 1.ToScalar();
        var batch = images.index_select(0, torch.tensor(picks.Select(i => (long)i).ToArray()))
            .to(ScalarType.Float32).div_(halfRange).sub_(one);
        if (flip)
        {
            var mask = torch.tensor(picks.Select(i => flips[i]).ToArray()).view(-1, 1, 1, 1);
            batch = torch.where(mask, batch.flip(3), batch);
        }
        return batch.to(device ?? torch.CPU).MoveToOuterDisposeScope();
    }

    private void Plan(int epoch)
    {
        if (epoch == plannedEpoch) return;
        // System.Random with a seed is a fixed algorithm, so orders are the same on every machine and in every
        // process, which resuming in a new process needs. (HashCode.Combine would not do: it is salted per process.)
        var random = new Random(unchecked(seed * 1_000_003 + epoch * 7_919 + 0x5eed));
        order = Enumerable.Range(0, Count).ToArray();
        random.Shuffle(order);
        flips = Enumerable.Range(0, Count).Select(_ => random.Next(2) == 1).ToArray();
        plannedEpoch = epoch;
    }

    public void Dispose() => images.Dispose();
}
