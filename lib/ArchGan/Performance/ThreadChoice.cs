using System.Globalization;
using TorchSharp;

namespace ArchGan.Performance;

/// <summary>
/// Picks libtorch's intra-op thread count: one per core that other processes leave idle. On an idle 2-core
/// machine that is 2, which measures best; when another process keeps a core busy, libtorch's threads wait
/// for each other at every operation and 2 threads run 5 to 10 times slower than 1, so 1 is chosen.
/// </summary>
public static class ThreadChoice
{
    /// <summary>
    /// Threads for this machine now: cores minus the cores other processes keep busy. The load is the
    /// smaller of two half-second samples a second apart, so a burst that is ending (the build that
    /// <c>dotnet run</c> just finished, whose compiler server winds down for a moment) does not count.
    /// </summary>
    public static int Auto()
    {
        var first = BusyCores(TimeSpan.FromMilliseconds(500));
        if (first is null || Auto(Environment.ProcessorCount, first) == Environment.ProcessorCount) return Auto(Environment.ProcessorCount, first);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var second = BusyCores(TimeSpan.FromMilliseconds(500));
        return Auto(Environment.ProcessorCount, second is null ? first : Math.Min(first.Value, second.Value));
    }

    /// <summary>One per core not busy, at least 1; all cores when the load is unknown.</summary>
    public static int Auto(int cores, double? busyCores) =>
        busyCores is double busy ? Math.Clamp(cores - (int)Math.Round(busy), 1, cores) : cores;

    /// <summary>
    /// Sets libtorch's threads to <paramref name="requested"/>, or to <see cref="Auto()"/> when null, and
    /// returns the number set.
    /// </summary>
    /// <exception cref="HyperparameterException"><paramref name="requested"/> is not positive.</exception>
    public static int Apply(int? requested)
    {
        if (requested is <= 0) throw new HyperparameterException("--threads", requested, "a positive number");
        var threads = requested ?? Auto();
        torch.set_num_threads(threads);
        return threads;
    }

    /// <summary>Cores kept busy by all processes over <paramref name="window"/>, from /proc/stat; null where that is unavailable.</summary>
    public static double? BusyCores(TimeSpan window)
    {
        var before = CpuTimes();
        if (before is null) return null;
        Thread.Sleep(window);
        var after = CpuTimes();
        if (after is null) return null;
        double total = after.Value.Total - before.Value.Total, idle = after.Value.Idle - before.Value.Idle;
        return total <= 0 ? null : (total - idle) / total * Environment.ProcessorCount;
    }

    // The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
    private static (double Total, double Idle)? CpuTimes()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return fields.Length < 5 ? null : (fields.Sum(), fields[3] + fields[4]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
