using System.Runtime.InteropServices;

namespace ArchGan.Platform;

/// <summary>
/// The C heap that libtorch allocates tensors from. On Linux that is glibc's malloc, which keeps memory
/// that tensors freed inside its heaps for reuse, in one heap ("arena") per thread that allocated; over a
/// long run the process's resident size then drifts up and down by tens of megabytes with no leak behind it.
/// </summary>
public static class NativeHeap
{
    /// <summary>
    /// Hands the C heap's free pages back to the operating system (glibc's <c>malloc_trim</c>). Cheap enough
    /// for a checkpoint, not for every iteration: pages handed back are faulted in again when reused.
    /// Returns false where there is nothing to do (not Linux, or not glibc).
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl and other C libraries have no malloc_trim
        }
    }

    /// <summary>
    /// Makes the C heap keep the memory that freed tensors leave, for the next iteration to reuse, instead of
    /// handing it back to the system at once. glibc by default gives every block above an adaptive threshold
    /// (at most 32 MB) a mapping of its own and unmaps it when it is freed, and shrinks its heap whenever
    /// 128 KB lie free at the top. A training iteration frees and allocates dozens of such blocks (one
    /// activation of the article's generator, 16 x 64 x 128 x 128 floats, is 64 MB), and the kernel zero-fills
    /// each fresh page on first touch, a cost large enough to show in an iteration's time
    /// (docs/performance.md, "What made it faster"). After this call large blocks come from the heap and stay there, except, on
    /// threads other than the process's first, blocks above 64 MB (the most a per-thread heap holds), which
    /// glibc always maps by themselves. <see cref="Trim"/> still hands free pages back, as
    /// <see cref="ProcessMemory.Release"/> does at every checkpoint of the command line's training. Idempotent; returns false where it does
    /// nothing (not Linux, or not glibc).
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // glibc's mallopt returns 1 on success. M_MMAP_MAX 0: no block gets a mapping of its own.
            // M_TRIM_THRESHOLD at its maximum: the heap never shrinks by itself.
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The largest block glibc keeps in its heap by itself: its mmap threshold adapts upwards to every mapped
    /// block freed, up to 32 MB on 64-bit systems. Blocks that size and under are reused without help once
    /// they have been freed once; only larger ones are mapped afresh on every allocation.
    /// </summary>
    public const long AdaptiveLimit = 32L << 20;

    /// <summary>
    /// <see cref="KeepFreedMemory()"/> where a run's largest tensor, <paramref name="largestBlock"/> bytes,
    /// is over <see cref="AdaptiveLimit"/>, and nothing otherwise: smaller runs gain nothing from it, and
    /// keep glibc's adaptive behaviour, whose memory over long runs the long-run test checks.
    /// </summary>
    public static bool KeepFreedMemory(long largestBlock) => largestBlock > AdaptiveLimit && KeepFreedMemory();

    private const int TrimThreshold = -1, MmapMax = -4; // M_TRIM_THRESHOLD and M_MMAP_MAX in glibc's malloc.h

    /// <summary>
    /// Bytes the C heap has handed out and not had back (glibc's <c>mallinfo2</c>: small blocks plus
    /// mmapped ones), or null where that is not known. Unlike the resident size this does not count pages
    /// the heap keeps for reuse, so it rises only when allocations are live: a figure that climbs over a
    /// run is a leak, one that stays while the resident size climbs is fragmentation.
    /// </summary>
    public static long? InUse => Info() is { } info ? (long)(info.uordblks + info.hblkhd) : null;

    /// <summary>Bytes in blocks that have a mapping of their own (glibc's <c>hblkhd</c>), or null where not known.</summary>
    internal static long? Mapped => Info() is { } info ? (long)info.hblkhd : null;

    // glibc's heap statistics, or null off Linux, before glibc 2.33, or with another C library.
    private static MallInfo2? Info()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return mallinfo2();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        internal nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
