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

    [Fact]
    public void A_cap_inherited_from_an_ArchGan_parent_is_reported_as_such_and_counts_as_capped()
    {
        // A kernel started by `archgan notebooks run` sees the parent's cap only as environment variables.
        var (value, source) = OneDnnIsa.Describe(applied: null, onednn: "AVX2", dnnl: null, marker: "AVX2");
        Assert.Equal("at most AVX2", value);
        Assert.Contains("inherited", source);
        Assert.True(OneDnnIsa.IsInherited("AVX2", "AVX2"));
    }

    [Theory]
    [InlineData("AVX2", null, null, "set in the environment (ONEDNN_MAX_CPU_ISA)")]
    [InlineData("AVX512_CORE", null, "AVX2", "set in the environment (ONEDNN_MAX_CPU_ISA)")] // changed after the parent capped it
    [InlineData(null, "AVX2", null, "set in the environment (DNNL_MAX_CPU_ISA)")]
    [InlineData(null, null, null, "nothing set")]
    public void A_value_the_user_set_is_reported_as_set_and_not_as_ArchGans_cap(string? onednn, string? dnnl, string? marker, string expected)
    {
        Assert.Equal(expected, OneDnnIsa.Describe(applied: null, onednn, dnnl, marker).Source);
    }

    [Fact]
    public void A_cap_set_by_this_process_is_reported_as_ArchGans()
    {
        var (value, source) = OneDnnIsa.Describe(applied: "AVX2", onednn: "AVX2", dnnl: null, marker: "AVX2");
        Assert.Equal("at most AVX2", value);
        Assert.Contains("capped by ArchGan", source);
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
