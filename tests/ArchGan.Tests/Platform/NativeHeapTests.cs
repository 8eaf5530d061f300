using System.Diagnostics;
using System.Runtime.InteropServices;
using ArchGan.Platform;
using ArchGan.Training;
using Architecture = ArchGan.Model.Architecture;

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

    [Fact]
    public void In_use_counts_live_blocks_and_not_freed_ones()
    {
        if (!OperatingSystem.IsLinux()) return;
        var start = NativeHeap.InUse;
        Assert.NotNull(start); // glibc 2.33 or later, as on Debian 12
        // Small blocks (heap) and large ones (mmapped): the figure must count both kinds.
        var small = Enumerable.Range(0, 1000).Select(_ => Marshal.AllocHGlobal(32 << 10)).ToArray();
        var large = Enumerable.Range(0, 8).Select(_ => Marshal.AllocHGlobal(8 << 20)).ToArray();
        var live = NativeHeap.InUse - start;
        foreach (var block in small.Concat(large)) Marshal.FreeHGlobal(block);
        var after = NativeHeap.InUse - start;
        const long expected = 1000L * (32 << 10) + 8L * (8 << 20); // 95 MB
        Assert.InRange(live!.Value, expected, expected + (16L << 20));
        Assert.True(after < 8L << 20, $"{after >> 20} MB still counted after every block was freed");
    }

    // How many of a live block's bytes sit in a mapping of its own.
    private static long MappedWhileLive(int size)
    {
        var before = NativeHeap.Mapped!.Value;
        var block = Marshal.AllocHGlobal(size);
        var mapped = NativeHeap.Mapped!.Value - before;
        Marshal.FreeHGlobal(block);
        return mapped;
    }

    [Fact]
    public void Kept_memory_keeps_large_blocks_out_of_mappings_of_their_own()
    {
        if (!OperatingSystem.IsLinux()) return;
        // 48 MB: above glibc's largest adaptive threshold (32 MB), so by default such a block is mapped by
        // itself and unmapped when freed; below the 64 MB a per-thread heap holds, so kept memory can take it.
        // (The default case is not asserted here: other tests' trainers leave free blocks in the heap.)
        const int size = 48 << 20;
        Assert.True(NativeHeap.KeepFreedMemory());
        Assert.Equal(0, MappedWhileLive(size));
        Assert.True(NativeHeap.KeepFreedMemory()); // idempotent
        Assert.Equal(0, MappedWhileLive(size));
    }

    [Fact]
    public void Only_runs_with_tensors_over_glibcs_adaptive_limit_change_the_heap()
    {
        var article16 = Architecture.LargestActivationBytes(Hyperparameters.Article with { BatchSize = 16 });
        Assert.Equal(16L * 64 * 128 * 128 * 4, article16); // 64 MB
        Assert.Equal(32L * 16 * 64 * 64 * 4, Architecture.LargestActivationBytes(Hyperparameters.Quick)); // 8 MB
        Assert.False(NativeHeap.KeepFreedMemory(Architecture.LargestActivationBytes(Hyperparameters.Quick)));
        Assert.False(NativeHeap.KeepFreedMemory(Architecture.LargestActivationBytes(Hyperparameters.Article))); // batch 4: 16 MB
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory(article16));
    }
}
