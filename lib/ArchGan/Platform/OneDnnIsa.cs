using System.Runtime.InteropServices;

namespace ArchGan.Platform;

/// <summary>
/// Caps the instruction set oneDNN (libtorch's CPU convolutions) uses at AVX2 on AMD's Zen 5 processors (CPU
/// family 26), where libtorch 2.10's oneDNN AVX-512 kernels, run on more than one thread, compute wrong values:
/// the same seeded training run gives different losses each time and turns NaN within a few dozen iterations.
/// </summary>
/// <remarks>
/// Measured on a 2-core Zen 5 machine with TorchSharp 0.107: the trainer's determinism tests
/// (<c>Training_with_prefetched_batches_equals_stepping_through_the_batches_by_hand</c>,
/// <c>Two_epochs_straight_equal_one_epoch_then_a_resumed_one</c>) fail with every oneDNN ISA from AVX512_CORE up,
/// and pass with AVX2, AVX2_VNNI or one thread. oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> once, when it creates its
/// first kernel, from the native environment, which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Linux; so this calls libc's setenv, from the library's module initializer, before any
/// convolution. A value the user set (ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA) is left alone.
/// </remarks>
public static class OneDnnIsa
{
    /// <summary>The cap used on affected processors.</summary>
    public const string SafeIsa = "AVX2";

    /// <summary>What was decided at load: null when nothing was changed, else the cap that was set.</summary>
    public static string? Applied { get; private set; }

    /// <summary>Sets the cap once, on affected processors, unless the user chose one.</summary>
    public static void Apply()
    {
        if (Applied is not null || !OperatingSystem.IsLinux() || !IsAffected(CpuFamily())) return;
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        if (setenv("ONEDNN_MAX_CPU_ISA", SafeIsa, 0) != 0) return;
        Environment.SetEnvironmentVariable("ONEDNN_MAX_CPU_ISA", SafeIsa); // for child processes started from .NET
        Applied = SafeIsa;
    }

    /// <summary>True for AMD family 26 (Zen 5), the processors where the wrong results were measured.</summary>
    internal static bool IsAffected((string Vendor, int Family)? cpu) => cpu is ("AuthenticAMD", 26);

    // The vendor and family of the first processor in /proc/cpuinfo, or null where it cannot be read.
    internal static (string Vendor, int Family)? CpuFamily()
    {
        try
        {
            string? vendor = null;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "vendor_id") vendor = value;
                else if (key == "cpu family" && vendor is not null && int.TryParse(value, out var family)) return (vendor, family);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
