using System.Diagnostics;
using System.Runtime.InteropServices;
using ArchGan.Platform;

namespace ArchGan.Tests.Platform;

/// <summary>Alone in its collection: resident memory is per process, and other tests would move it.</summary>
[Collection(nameof(NativeHeapTests))]
[CollectionDefinition(nameof(NativeHeapTests), DisableParallelization = true)]
public class NativeHeapTests
{
    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    [Fact]
    public void Trim_hands_freed_heap_pages_back_to_the_system()
    {
        if (!OperatingSystem.IsLinux()) return;
        // 64 KB blocks stay inside glibc's heap (below its mmap threshold). Freeing every other one leaves
        // holes that the heap keeps, so the resident size does not fall until the heap is trimmed.
        const int count = 4000, size = 64 << 10;
        var blocks = new nint[count];
        var ones = Enumerable.Repeat((byte)1, size).ToArray();
        for (int i = 0; i < count; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(size); // malloc on Linux
            Marshal.Copy(ones, 0, blocks[i], size); // touch every page
        }
        for (int i = 0; i < count; i += 2) Marshal.FreeHGlobal(blocks[i]);
        var before = Resident();
        Assert.True(NativeHeap.Trim());
        var released = before - Resident();
        for (int i = 1; i < count; i += 2) Marshal.FreeHGlobal(blocks[i]);
        Assert.True(released > 64L << 20, $"trimming released {released >> 20} MB of the {(long)count / 2 * size >> 20} MB freed");
    }
}
