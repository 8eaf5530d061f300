namespace ArchGan.Performance;

/// <summary>What <see cref="TrainingBenchmark"/> measured, in one run on one machine. Times are medians.</summary>
/// <param name="Preset">The preset measured, with its image size, width and batch.</param>
/// <param name="Threads">libtorch intra-op threads used.</param>
/// <param name="ReferenceGflops">Float32 convolution speed on layers shaped like the model's (GFLOP/s).</param>
/// <param name="ReferenceBf16Gflops">The same convolutions in bfloat16 (GFLOP/s).</param>
/// <param name="SecondsPerIteration">One D step and one G step, median over the measured iterations.</param>
/// <param name="ImagesPerSecond">Training images per second.</param>
/// <param name="GflopPerIteration">Work of one iteration from the model's multiply-adds (2 FLOP each): 3 generator and 9 discriminator forward passes per image.</param>
/// <param name="AchievedGflops">GflopPerIteration / SecondsPerIteration.</param>
/// <param name="SamplesPerSecond">Images per second from the generator alone (eval mode, no gradients).</param>
/// <param name="FacadesPerSecond">Procedural facades drawn per second at the preset's size.</param>
public sealed record BenchmarkResult(
    string Preset,
    int ImageSize,
    double Width,
    int BatchSize,
    int Threads,
    double ReferenceGflops,
    double ReferenceBf16Gflops,
    double SecondsPerIteration,
    double ImagesPerSecond,
    double GflopPerIteration,
    double AchievedGflops,
    double SamplesPerSecond,
    double FacadesPerSecond)
{
    /// <summary>Achieved training speed as a fraction of the float32 convolution reference.</summary>
    public double FractionOfReference => AchievedGflops / ReferenceGflops;
}
