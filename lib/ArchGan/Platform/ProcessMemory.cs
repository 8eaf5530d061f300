using System.Runtime;

namespace ArchGan.Platform;

/// <summary>
/// Hands memory the process no longer uses back to the operating system, from both heaps a training run
/// allocates in: the .NET heap (the tensors' wrappers, losses pages, grids) and the C heap (the tensors).
/// </summary>
public static class ProcessMemory
{
    /// <summary>
    /// A full, compacting collection of the .NET heap that also releases its free regions, then
    /// <see cref="NativeHeap.Trim"/>. Takes tens of milliseconds: for quiet moments like a checkpoint.
    /// </summary>
    /// <remarks>
    /// Without it, garbage that outlived the young generations (tensor wrappers still in a dispose scope
    /// when a collection came, the strings of a losses page) waits for a full collection, which the runtime
    /// starts rarely when the heap grows slowly: over a few thousand iterations the resident size then
    /// climbs by tens of megabytes with nothing live behind it.
    /// </remarks>
    public static void Release()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // Finalizers of tensors nobody disposed free their C memory; collect what they leave, then trim.
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        NativeHeap.Trim();
    }

    /// <summary>
    /// Minor page faults of this process so far (<c>/proc/self/stat</c>), or null off Linux: pages the kernel
    /// had to map in, and zero-fill, on first touch. A training loop whose count climbs by thousands per
    /// iteration is handing memory back and taking it again; see <see cref="NativeHeap.KeepFreedMemory(long)"/>.
    /// </summary>
    public static long? MinorPageFaults
    {
        get
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/stat")) return null;
            var stat = File.ReadAllText("/proc/self/stat");
            // The command name, in parentheses, may hold spaces; the fields after it start with the state (field 3).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[10 - 3], System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
