using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Tests;

/// <summary>Small image sets made in code, so tests need no files.</summary>
internal static class TestData
{
    /// <summary>
    /// <paramref name="count"/> copies of one image: a red left half and a blue right half on a grey band.
    /// A set a generator can learn in a few dozen iterations.
    /// </summary>
    public static ImageSet Constant(int count, int size)
    {
        var one = new byte[3 * size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = y * size + x;
                bool band = y >= size / 2 - size / 8 && y < size / 2 + size / 8;
                (byte r, byte g, byte b) = band ? ((byte)128, (byte)128, (byte)128) : x < size / 2 ? ((byte)220, (byte)30, (byte)30) : ((byte)30, (byte)40, (byte)210);
                one[i] = r; one[size * size + i] = g; one[2 * size * size + i] = b;
            }
        var pixels = new byte[count * one.Length];
        for (int n = 0; n < count; n++) one.CopyTo(pixels, n * one.Length);
        return new ImageSet(pixels, count, size);
    }

    /// <summary><paramref name="count"/> images of seeded random blocks: distinct images, so shuffling and flips matter.</summary>
    public static ImageSet Blocks(int count, int size, int seed = 0)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 3 * size * size];
        int block = Math.Max(1, size / 4);
        for (int n = 0; n < count; n++)
            for (int c = 0; c < 3; c++)
                for (int by = 0; by < size; by += block)
                    for (int bx = 0; bx < size; bx += block)
                    {
                        var value = (byte)random.Next(256);
                        for (int y = by; y < Math.Min(size, by + block); y++)
                            for (int x = bx; x < Math.Min(size, bx + block); x++)
                                pixels[((n * 3 + c) * size + y) * size + x] = value;
                    }
        return new ImageSet(pixels, count, size);
    }

    /// <summary>
    /// A run of <paramref name="hp"/> stopped after its first epoch, resumed from the checkpoint it wrote and trained
    /// to <paramref name="hp"/>'s last epoch: its history should match a straight run's step for step.
    /// </summary>
    public static GanTrainer TrainResumedAfterFirstEpoch(Hyperparameters hp, ImageSet data)
    {
        var run = TempDirectory();
        using (var first = new GanTrainer(hp with { Epochs = 1 }, data, run)) first.Train();
        var resumed = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), data, epochs: hp.Epochs);
        resumed.Train();
        return resumed;
    }

    /// <summary>A fresh empty folder under this test process's own temp folder, which goes when the process exits.</summary>
    public static string TempDirectory()
    {
        var path = Path.Combine(RunFolder.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    // Tests hand these folders to trainers and child processes that outlive the test method, so they are not
    // deleted one by one; the whole process's folder is, on exit, and the test runner may kill the process
    // before that is done, so each run also deletes the folders of earlier test processes that are gone.
    // Without this every `dotnet test` left about 600 MB of runs and caches in the temp directory.
    private static readonly Lazy<string> RunFolder = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "archgan-tests");
        Directory.CreateDirectory(parent);
        foreach (var earlier in Directory.EnumerateDirectories(parent))
            if (OwnerHasExited(Path.GetFileName(earlier))) Data.TempFolder.Delete(earlier);
        var root = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Data.TempFolder.Delete(root);
        return root;
    });

    // Folder names start with the process id that made them; a name without one is not ours to delete.
    private static bool OwnerHasExited(string name)
    {
        var dash = name.IndexOf('-');
        if (dash <= 0 || !int.TryParse(name[..dash], out var pid)) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }
}
