using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArchGan.Platform;
using TorchSharp;

namespace ArchGan.Tests.Platform;

/// <summary>In <see cref="NativeHeapTests"/>' collection, which runs alone: resident memory is per process.</summary>
[Collection(nameof(NativeHeapTests))]
public class ProcessMemoryTests
{
    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    // Not inlined, so no reference to the garbage survives in the caller's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeGarbage(int megabytes)
    {
        var arrays = new List<byte[]>();
        for (int i = 0; i < megabytes / 2; i++) arrays.Add(Enumerable.Repeat((byte)1, 1 << 20).ToArray()); // large-object heap
        for (int i = 0; i < megabytes / 2; i++) torch.ones(1 << 18); // 1 MB each, never disposed: only a finalizer frees it
        GC.KeepAlive(arrays);
    }

    [Fact]
    public void Release_hands_back_dotnet_garbage_and_the_memory_of_tensors_nobody_disposed()
    {
        if (!OperatingSystem.IsLinux()) return;
        ProcessMemory.Release();
        var start = Resident();
        MakeGarbage(256);
        var before = Resident();
        Assert.True(before - start > 200L << 20, $"the garbage should have raised the resident size, it rose {(before - start) >> 20} MB");
        ProcessMemory.Release();
        var released = before - Resident();
        Assert.True(released > 200L << 20, $"releasing handed back {released >> 20} MB of the 256 MB of garbage");
    }

    [Fact]
    public void Minor_page_faults_count_the_pages_of_fresh_memory_as_they_are_first_touched()
    {
        if (!OperatingSystem.IsLinux()) return;
        // 80 MB: more than a per-thread heap holds, so glibc maps it freshly whatever its settings.
        const int size = 80 << 20, pages = size / 4096;
        var block = Marshal.AllocHGlobal(size);
        try
        {
            var before = ProcessMemory.MinorPageFaults!.Value;
            for (int offset = 0; offset < size; offset += 4096) Marshal.WriteByte(block, offset, 1);
            var touched = ProcessMemory.MinorPageFaults!.Value - before;
            var again = ProcessMemory.MinorPageFaults!.Value;
            for (int offset = 0; offset < size; offset += 4096) Marshal.WriteByte(block, offset, 2);
            var retouched = ProcessMemory.MinorPageFaults!.Value - again;
            Assert.InRange(touched, pages * 9 / 10, pages * 2);
            Assert.True(retouched < pages / 10, $"pages already mapped faulted again: {retouched}");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}
