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
    /// Bytes the C heap has handed out and not had back (glibc's <c>mallinfo2</c>: small blocks plus
    /// mmapped ones), or null where that is not known. Unlike the resident size this does not count pages
    /// the heap keeps for reuse, so it rises only when allocations are live: a figure that climbs over a
    /// run is a leak, one that stays while the resident size climbs is fragmentation.
    /// </summary>
    public static long? InUse
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return null;
            try
            {
                var info = mallinfo2();
                return (long)(info.uordblks + info.hblkhd);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null; // glibc before 2.33, or another C library
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
