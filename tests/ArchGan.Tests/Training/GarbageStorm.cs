namespace ArchGan.Tests.Training;

/// <summary>
/// Threads that allocate and start garbage collections without pause until disposed: the conditions under which
/// a TorchSharp object that nothing references any more is finalized while libtorch still reads it. A notebook
/// kernel's own threads (its server, formatters, protocol loop) do the same, less often.
/// </summary>
internal sealed class GarbageStorm : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Thread> threads;

    /// <summary>Starts <paramref name="count"/> background threads.</summary>
    public GarbageStorm(int count)
    {
        threads = Enumerable.Range(0, count).Select(_ => new Thread(() => Run(stop.Token)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
    }

    /// <summary>Collections started.</summary>
    public long Collections => Interlocked.Read(ref collections);
    private long collections;

    private void Run(CancellationToken token)
    {
        var junk = new object[256];
        for (long i = 0; !token.IsCancellationRequested; i++)
        {
            for (int j = 0; j < junk.Length; j++) junk[j] = new byte[64 + j];
            // Young collections find a Scalar made a moment ago; now and then a full one with the finalizers run,
            // so that the finalizer thread is never far behind.
            if (i % 64 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            else
            {
                GC.Collect(0);
            }
            Interlocked.Increment(ref collections);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        threads.ForEach(t => t.Join());
        stop.Dispose();
    }
}
