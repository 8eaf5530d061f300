namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// SplitMix64 stream seeded from (seed, index). Our own generator rather than <see cref="Random"/> so that the images
/// cannot change with a .NET release, and so that image <c>i</c> depends on nothing but its own seed and index.
/// </summary>
internal sealed class FacadeRandom
{
    private ulong state;

    public FacadeRandom(int seed, int index)
    {
        // Two rounds of mixing keep neighbouring seeds and indices from producing correlated streams.
        state = Mix(Mix((ulong)(uint)seed ^ 0x5851F42D4C957F2DUL) ^ ((ulong)(uint)index * 0xD1B54A32D192ED03UL));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [min, max).</summary>
    public float Range(float min, float max) => min + (max - min) * NextFloat();

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Int(int min, int maxExclusive) => min + (int)((NextUInt64() >> 33) % (ulong)(maxExclusive - min));

    public bool Chance(float p) => NextFloat() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count)];
}
