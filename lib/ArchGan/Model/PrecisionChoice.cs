using TorchSharp;

namespace ArchGan.Model;

/// <summary>Turns <see cref="Precision.Auto"/> into the precision this machine trains fastest in.</summary>
public static class PrecisionChoice
{
    private static readonly Lazy<bool> CpuFlagsListBFloat16 = new(() =>
        OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo") && HasBFloat16(File.ReadAllText("/proc/cpuinfo")));

    /// <summary>
    /// Whether this CPU computes in bfloat16 natively. Known on Linux only (from <c>/proc/cpuinfo</c>);
    /// elsewhere false, so <see cref="Precision.Auto"/> stays with float32 rather than risk an emulated,
    /// slower bfloat16. False too where oneDNN is capped below AVX-512 (<see cref="Platform.OneDnnIsa"/>), by this
    /// process or the one that started it (a notebook kernel under <c>archgan notebooks run</c>): its convolutions
    /// then emulate bfloat16.
    /// </summary>
    public static bool CpuHasBFloat16 => CpuFlagsListBFloat16.Value && !Platform.OneDnnIsa.Capped;

    /// <summary>
    /// <paramref name="requested"/> with <see cref="Precision.Auto"/> resolved for <paramref name="device"/>:
    /// bfloat16 on a CPU with bfloat16 instructions, float32 otherwise. Explicit choices pass through.
    /// </summary>
    public static Precision Resolve(Precision requested, torch.Device device) =>
        requested != Precision.Auto ? requested
        : device.type == DeviceType.CPU && CpuHasBFloat16 ? Precision.BFloat16
        : Precision.Float32;

    /// <summary>
    /// Whether a <c>/proc/cpuinfo</c> text lists a bfloat16 instruction set: <c>avx512_bf16</c> or
    /// <c>amx_bf16</c> in an x86 "flags" line, <c>bf16</c> in an Arm "Features" line.
    /// </summary>
    internal static bool HasBFloat16(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            if (key != "flags" && key != "Features") continue;
            var names = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Any(n => n is "avx512_bf16" or "amx_bf16" or "bf16")) return true;
        }
        return false;
    }
}
