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

    /// <summary>
    /// Set, with the cap, for the processes this one starts: a notebook kernel started by <c>archgan notebooks run</c>
    /// inherits ONEDNN_MAX_CPU_ISA and would otherwise take the parent's cap for a value the user chose.
    /// </summary>
    public const string CapMarkerVariable = "ARCHGAN_ONEDNN_CAP";

    /// <summary>
    /// Whether ArchGan's cap is in force here: set by this process (<see cref="Applied"/>), or inherited from the
    /// ArchGan process that started this one, which <see cref="Applied"/> does not see.
    /// </summary>
    public static bool Capped => Applied is not null || IsInherited(Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"), Environment.GetEnvironmentVariable(CapMarkerVariable));

    internal static bool IsInherited(string? onednn, string? marker) => onednn is not null && marker == onednn;

    /// <summary>
    /// The instruction-set limit oneDNN runs under in this process and where it came from, for the set-up table of
    /// the notebooks: <see cref="Applied"/> alone cannot say, since in a child process the cap arrives as an
    /// environment variable like any other.
    /// </summary>
    public static (string Value, string Source) InForce() =>
        Describe(Applied, Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"), Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA"),
            Environment.GetEnvironmentVariable(CapMarkerVariable));

    /// <summary>What <see cref="InForce"/> reports for the given decision and environment values.</summary>
    internal static (string Value, string Source) Describe(string? applied, string? onednn, string? dnnl, string? marker)
    {
        if (applied is not null) return ("at most " + applied, "capped by ArchGan on this processor (OneDnnIsa.cs)");
        // oneDNN reads ONEDNN_MAX_CPU_ISA first and falls back to the older DNNL_ name.
        var (name, value) = onednn is not null ? ("ONEDNN_MAX_CPU_ISA", onednn) : dnnl is not null ? ("DNNL_MAX_CPU_ISA", dnnl) : (null, null);
        if (value is null) return ("oneDNN's own choice", "nothing set");
        return name == "ONEDNN_MAX_CPU_ISA" && IsInherited(value, marker)
            ? ("at most " + value, $"inherited: the process that started this one capped it on this processor ({name}, OneDnnIsa.cs)")
            : ("at most " + value, $"set in the environment ({name})");
    }

    /// <summary>Sets the cap once, on affected processors, unless the user chose one.</summary>
    public static void Apply()
    {
        if (Applied is not null || !OperatingSystem.IsLinux() || !IsAffected(CpuFamily())) return;
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        if (setenv("ONEDNN_MAX_CPU_ISA", SafeIsa, 0) != 0) return;
        Environment.SetEnvironmentVariable("ONEDNN_MAX_CPU_ISA", SafeIsa); // for child processes started from .NET
        Environment.SetEnvironmentVariable(CapMarkerVariable, SafeIsa);
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
