using ArchGan.Platform;

namespace ArchGan.Tests.Platform;

public class JupyterInterruptTests
{
    // The test host runs no generic host, so SIGINT keeps its default meaning and nothing is taken over.
    [Fact]
    public void Outside_a_generic_host_it_leaves_SIGINT_alone()
    {
        Assert.False(JupyterInterrupt.Install());
        Assert.False(JupyterInterrupt.Installed);
        Assert.False(KernelCancellation.Token.CanBeCanceled);
    }
}
