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
}
