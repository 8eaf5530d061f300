using ArchGan.Model;
using ArchGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Model;

public class SafeBatchNorm2dTests
{
    // The batch counter is the call most often made with a Scalar on the training path: once per BatchNorm
    // layer per forward pass. Beside threads that collect without pause, a temporary Scalar in it (TorchSharp's
    // add_(1), or add_(held) with its made-up alpha) is freed mid-call often enough to throw or miscount here.
    [Fact]
    public void The_batch_counter_counts_every_training_batch_beside_threads_that_collect_without_pause()
    {
        const int batches = 50_000;
        using var norm = new SafeBatchNorm2d(1);
        norm.train();
        using var input = torch.ones(2, 1, 1, 1);
        using (var storm = new GarbageStorm(2))
        using (torch.no_grad())
        {
            for (int i = 0; i < batches; i++)
            {
                using var scope = torch.NewDisposeScope();
                norm.call(input);
            }
        }
        Assert.Equal(batches, norm.num_batches_tracked!.item<long>());
    }
}
