using ArchGan.Display;

namespace ArchGan.Tests.Display;

public class KernelCancellationTests
{
    [Fact]
    public async Task Without_a_kernel_or_host_the_token_never_fires_and_a_host_token_flows_into_async_work()
    {
        Assert.False(KernelCancellation.Token.CanBeCanceled);

        using var stop = new CancellationTokenSource();
        KernelCancellation.Override = stop.Token;
        var seen = await Task.Run(() => KernelCancellation.Token);
        stop.Cancel();
        Assert.True(seen.IsCancellationRequested);
    }
}
