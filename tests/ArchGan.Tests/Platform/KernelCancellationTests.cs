using ArchGan.Platform;

namespace ArchGan.Tests.Platform;

/// <summary>Outside a kernel the token never fires; inside one, the Stop test in ArchGan.Notebooks.Tests shows it does.</summary>
public class KernelCancellationTests
{
    [Fact]
    public void Without_a_kernel_the_token_never_fires() => Assert.False(KernelCancellation.Token.CanBeCanceled);
}
