using ArchGan.Model;

namespace ArchGan.Performance;

/// <summary>One training configuration timed by <see cref="TrainingBenchmark.Sweep"/>.</summary>
/// <param name="ImageSize">Image side.</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Precision">Number type of the convolutions.</param>
/// <param name="SecondsPerIteration">Median iteration time.</param>
/// <param name="GflopPerIteration">Work of one iteration (see <see cref="TrainingBenchmark.GflopPerImage"/>).</param>
public sealed record SweepPoint(int ImageSize, int BatchSize, Precision Precision, double SecondsPerIteration, double GflopPerIteration)
{
    /// <summary>Training images per second.</summary>
    public double ImagesPerSecond => BatchSize / SecondsPerIteration;
    /// <summary>Achieved GFLOP/s.</summary>
    public double Gflops => GflopPerIteration / SecondsPerIteration;
}
