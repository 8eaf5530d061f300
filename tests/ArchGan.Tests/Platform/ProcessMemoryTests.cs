using System.Diagnostics;
using System.Runtime.CompilerServices;
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
}
