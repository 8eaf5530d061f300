using ArchGan.Data;
using TorchSharp;

namespace ArchGan.Tests.Data;

public class ImageBatchesTests
{
    // Each image's first pixel is its index, so a batch tells which images it holds, in which order.
    private static ImageSet Numbered(int count) =>
        new(Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, 3 * 4 * 4)).ToArray(), count, 4);

    private static int[] Order(ImageBatches batches, int epoch) =>
        Enumerable.Range(0, batches.BatchesPerEpoch).SelectMany(b =>
        {
            using var batch = batches.Batch(epoch, b);
            return Enumerable.Range(0, batches.BatchSize).Select(i => (int)Math.Round((batch[i, 0, 0, 0].item<float>() + 1) * 127.5)).ToArray();
        }).ToArray();

    [Fact]
    public void The_order_is_a_fixed_function_of_seed_and_epoch_in_every_process()
    {
        // A resumed run in a new process must see the batches the interrupted one would have seen, so the
        // shuffle may not depend on anything salted per process (as HashCode is). These are the orders this
        // algorithm gives; a change here makes old checkpoints resume on other batches.
        using var batches = new ImageBatches(Numbered(8), 4, seed: 1);
        Assert.Equal(new[] { 0, 5, 7, 3, 2, 6, 1, 4 }, Order(batches, 0));
        Assert.Equal(new[] { 1, 2, 3, 4, 0, 7, 6, 5 }, Order(batches, 1));
    }

    [Fact]
    public void Every_image_appears_once_per_epoch_and_epochs_differ()
    {
        using var batches = new ImageBatches(Numbered(10), 3, seed: 4);
        var first = Order(batches, 0);
        Assert.Equal(9, first.Length); // the last incomplete batch is dropped
        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.NotEqual(first, Order(batches, 1));
        Assert.Equal(first, Order(batches, 0));
    }

    [Fact]
    public void Pixels_are_scaled_to_the_tanh_range()
    {
        var set = new ImageSet(Enumerable.Repeat((byte)0, 48).Concat(Enumerable.Repeat((byte)255, 48)).ToArray(), 2, 4);
        using var batches = new ImageBatches(set, 2, seed: 0);
        using var batch = batches.Batch(0, 0);
        Assert.Equal(-1f, batch.min().item<float>(), 5);
        Assert.Equal(1f, batch.max().item<float>(), 5);
    }
}
