using System.Runtime.InteropServices;
using ArchGan.Platform;

namespace ArchGan.Tests.Platform;

/// <summary>
/// The oneDNN cap on AMD family 26. What it prevents is shown by the trainer's determinism tests, which fail on
/// such a processor without it; here: that it is set where it should be, natively, and nowhere else.
/// </summary>
public sealed class OneDnnIsaTests
{
    [Theory]
    [InlineData("AuthenticAMD", 26, true)]
    [InlineData("AuthenticAMD", 25, false)]
    [InlineData("GenuineIntel", 6, false)]
    public void Only_Zen_5_is_capped(string vendor, int family, bool affected) =>
        Assert.Equal(affected, OneDnnIsa.IsAffected((vendor, family)));

    [Fact]
    public void On_this_machine_the_native_environment_says_what_was_decided()
    {
        _ = new ArchGan.Hyperparameters(); // any use of the library runs its initializer
        var native = Marshal.PtrToStringAnsi(getenv("ONEDNN_MAX_CPU_ISA"));
        if (OneDnnIsa.IsAffected(OneDnnIsa.CpuFamily()) && Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is null)
            Assert.Equal(OneDnnIsa.SafeIsa, native);
        else if (OneDnnIsa.Applied is null)
            Assert.True(native is null || native == Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"), "the cap was set on a processor that does not need it");
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
