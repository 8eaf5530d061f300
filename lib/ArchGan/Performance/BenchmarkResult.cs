namespace ArchGan.Performance;

/// <summary>What <see cref="TrainingBenchmark"/> measured, in one run on one machine. Times are medians.</summary>
/// <param name="Preset">The preset measured.</param>
/// <param name="ImageSize">Its image side.</param>
/// <param name="Width">Its width multiplier.</param>
/// <param name="BatchSize">Its batch size.</param>
/// <param name="Threads">libtorch intra-op threads used.</param>
/// <param name="ReferenceBeforeGflops">Float32 convolution speed on layers shaped like the model's (GFLOP/s), timed before the training iterations.</param>
/// <param name="ReferenceAfterGflops">The same, timed again after them: how far the machine's own speed moved during the run.</param>
/// <param name="ReferenceBf16Gflops">The same convolutions in bfloat16 (GFLOP/s).</param>
/// <param name="SecondsPerIteration">One D step and one G step in float32, median over the measured iterations.</param>
/// <param name="ImagesPerSecond">Training images per second in float32.</param>
/// <param name="GflopPerIteration">Work of one iteration from the model's multiply-adds (2 FLOP each): 3 generator and 8 discriminator forward passes per image (D is frozen in the G step, so its backward there computes input gradients only).</param>
/// <param name="AchievedGflops">GflopPerIteration / SecondsPerIteration.</param>
/// <param name="SecondsPerIterationBf16">The same iteration with bfloat16 convolutions (<see cref="Model.Precision.BFloat16"/>).</param>
/// <param name="BatchSeconds">Preparing one batch from the uint8 cache (index, convert, flip), median.</param>
/// <param name="SamplesPerSecond">Images per second from the generator alone (eval mode, no gradients).</param>
/// <param name="FacadesPerSecond">Procedural facades drawn per second at the preset's size.</param>
/// <param name="DataSource">The folder whose decoding was timed (generated JPEG facades when none was given).</param>
/// <param name="DataImages">Images in that folder.</param>
/// <param name="DataSeconds">Decoding and resizing them all, with no cache.</param>
/// <param name="DataCachedSeconds">Loading them again from the cache that run wrote.</param>
/// <param name="ConvolutionSeconds">A float32 iteration's convolutions alone, forward and backward, each timed by itself at the model's shapes.</param>
/// <param name="PageFaultsPerIteration">Minor page faults per timed float32 iteration (null off Linux): memory the C heap handed back and had to take again, or grew by, zero-filled.</param>
/// <param name="WarmupIterations">Float32 iterations run before the timed ones, until the C heap stopped growing (2 to 30).</param>
/// <param name="WarmupIterationsBf16">The same for bfloat16.</param>
public sealed record BenchmarkResult(
    string Preset,
    int ImageSize,
    double Width,
    int BatchSize,
    int Threads,
    double ReferenceBeforeGflops,
    double ReferenceAfterGflops,
    double ReferenceBf16Gflops,
    double SecondsPerIteration,
    double ImagesPerSecond,
    double GflopPerIteration,
    double AchievedGflops,
    double SecondsPerIterationBf16,
    double BatchSeconds,
    double SamplesPerSecond,
    double FacadesPerSecond,
    string DataSource,
    int DataImages,
    double DataSeconds,
    double DataCachedSeconds,
    double ConvolutionSeconds,
    double? PageFaultsPerIteration,
    int WarmupIterations,
    int WarmupIterationsBf16)
{
    /// <summary>
    /// The float32 reference: the mean of its timings before and after the training iterations, so a machine
    /// that speeds up or slows down during the run (a shared host does, by several percent) moves the
    /// reference as it moved the iterations between them.
    /// </summary>
    public double ReferenceGflops => (ReferenceBeforeGflops + ReferenceAfterGflops) / 2;
    /// <summary>(after − before) / mean of the two reference timings: the run's own measure of its noise.</summary>
    public double ReferenceDrift => (ReferenceAfterGflops - ReferenceBeforeGflops) / ReferenceGflops;
    /// <summary>Achieved float32 training speed as a fraction of the float32 convolution reference.</summary>
    public double FractionOfReference => AchievedGflops / ReferenceGflops;
    /// <summary>Float32 iteration time over bfloat16 iteration time.</summary>
    public double Bf16Speedup => SecondsPerIteration / SecondsPerIterationBf16;
    /// <summary>Batch preparation as a fraction of a float32 iteration: the most a training loop without prefetching would lose to data.</summary>
    public double BatchFraction => BatchSeconds / SecondsPerIteration;
    /// <summary>The share of a float32 iteration that its convolutions alone would take; the rest is everything else.</summary>
    public double ConvolutionShare => ConvolutionSeconds / SecondsPerIteration;
    /// <summary>How fast the model's convolutions run alone, forward and backward (GFLOP/s).</summary>
    public double ConvolutionGflops => GflopPerIteration / ConvolutionSeconds;
    /// <summary>Images decoded and resized per second, without cache.</summary>
    public double DataImagesPerSecond => DataImages / DataSeconds;
}
