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

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
