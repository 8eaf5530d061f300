using System.Diagnostics;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.Model;
using ArchGan.Platform;
using ArchGan.Sampling;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Performance;

/// <summary>
/// Measures, in one run, how fast this machine trains a preset and how that compares with what its
/// convolutions can do: a reference (the model's own heaviest convolution shapes, timed alone in float32
/// and bfloat16; the float32 one before and after the training iterations), training throughput, sampling
/// and facade drawing. Run on an otherwise idle machine: any other busy process makes libtorch's threads
/// wait for each other.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// Runs every measurement for <paramref name="hp"/>: <paramref name="iterations"/> timed training
    /// iterations, in float32 and in bfloat16, each after a warm-up that lets the C heap settle (2 to 30
    /// iterations, <see cref="WarmedUp"/>), and the decoding of <paramref name="dataFolder"/> (or of generated
    /// JPEG facades) with and without its cache.
    /// </summary>
    public static BenchmarkResult Run(string preset, Hyperparameters hp, int iterations = 10, string? dataFolder = null, Action<string>? log = null)
    {
        hp = hp.Validate();
        log ??= _ => { };
        // As training will run, from the reference on.
        NativeHeap.KeepFreedMemory(Architecture.LargestActivationBytes(hp));
        using var generator = new Generator(hp);
        using var discriminator = new Discriminator(hp);
        var gSummary = ModelSummary.Of(generator, hp.LatentSize);
        var dSummary = ModelSummary.Of(discriminator, hp.ImageSize);

        log("reference convolutions (float32, bfloat16)");
        var layers = HeaviestConvolutions(gSummary, dSummary);
        var reference = ReferenceGflops(layers, hp.BatchSize, ScalarType.Float32);
        var referenceBf16 = ReferenceGflops(layers, hp.BatchSize, ScalarType.BFloat16);

        log("drawing facades");
        var count = Math.Max(hp.BatchSize * (iterations + 2), 64);
        var clock = Stopwatch.StartNew();
        var data = Facades.Generate(count, hp.ImageSize, 0);
        var facadesPerSecond = count / clock.Elapsed.TotalSeconds;

        log($"training, float32: warm-up until the C heap settles, then {iterations} timed iterations at batch {hp.BatchSize}");
        var (seconds, faults, warmup) = TrainingSeconds(hp with { Precision = Precision.Float32 }, data, iterations);
        log($"training, bfloat16: warm-up until the C heap settles, then {iterations} timed iterations at batch {hp.BatchSize}");
        var (secondsBf16, _, warmupBf16) = TrainingSeconds(hp with { Precision = Precision.BFloat16 }, data, iterations);
        log("reference convolutions again (float32)");
        var referenceAfter = ReferenceGflops(layers, hp.BatchSize, ScalarType.Float32);
        var gflop = GflopPerImage(gSummary, dSummary) * hp.BatchSize;
        log("the model's convolutions alone, forward and backward");
        var convolutionSeconds = ConvolutionSeconds(gSummary, dSummary, hp.BatchSize);
        var batchSeconds = BatchSeconds(hp, data);

        log("sampling");
        var samplesPerSecond = SamplesPerSecond(generator, hp);

        log(dataFolder is null ? "decoding generated JPEG facades" : $"decoding {dataFolder}");
        var (source, images, cold, cached) = DataPreparation(dataFolder, hp.ImageSize);

        return new BenchmarkResult(preset, hp.ImageSize, hp.Width, hp.BatchSize, torch.get_num_threads(), reference, referenceAfter, referenceBf16,
            seconds, hp.BatchSize / seconds, gflop, gflop / seconds, secondsBf16, batchSeconds, samplesPerSecond, facadesPerSecond,
            source, images, cold, cached, convolutionSeconds, faults, warmup, warmupBf16);
    }

    /// <summary>
    /// Training time per iteration of <paramref name="hp"/>'s model at every image size and batch size given,
    /// in each precision: how the cost grows. <paramref name="iterations"/> timed iterations after one of warm-up.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Sweep(Hyperparameters hp, IEnumerable<(int ImageSize, int BatchSize)> configurations,
        IReadOnlyList<Precision> precisions, int iterations = 3, Action<string>? log = null)
    {
        var points = new List<SweepPoint>();
        foreach (var (size, batch) in configurations)
        {
            var shape = hp with { ImageSize = size, BatchSize = batch };
            double gflop;
            using (var g = new Generator(shape))
            using (var d = new Discriminator(shape))
                gflop = GflopPerImage(ModelSummary.Of(g, shape.LatentSize), ModelSummary.Of(d, size)) * batch;
            var data = Facades.Generate(batch, size, 0);
            foreach (var precision in precisions)
            {
                log?.Invoke($"{size} x {size}, batch {batch}, {precision}");
                points.Add(new SweepPoint(size, batch, precision, TrainingSeconds(shape with { Precision = precision }, data, iterations, minWarmup: 1, maxWarmup: 1).Seconds, gflop));
            }
        }
        return points;
    }

    // Median time to cut one batch from the uint8 tensor: what the training loop's prefetch hides.
    private static double BatchSeconds(Hyperparameters hp, ImageSet data)
    {
        using var batches = new ImageBatches(data, hp.BatchSize, hp.Seed, flip: true);
        var times = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            batches.Batch(i / batches.BatchesPerEpoch, i % batches.BatchesPerEpoch).Dispose();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    // Decodes and resizes a folder into a fresh cache, then loads it again from that cache. Without a folder,
    // 256 facades drawn at twice the size and saved as JPEG stand in for photos.
    private static (string Source, int Images, double Cold, double Cached) DataPreparation(string? folder, int size)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "archgan-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (folder is null)
            {
                folder = Path.Combine(scratch, "facades");
                Directory.CreateDirectory(folder);
                var facades = Facades.Generate(256, Math.Min(2 * size, 512), 7);
                Parallel.For(0, facades.Count, i =>
                {
                    using var bitmap = ImagePng.ToBitmap(facades, i);
                    using var jpeg = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
                    File.WriteAllBytes(Path.Combine(folder, $"facade-{i:D4}.jpg"), jpeg.ToArray());
                });
            }
            var cache = Path.Combine(scratch, "cache");
            var clock = Stopwatch.StartNew();
            var first = ImageFolder.Load(folder, size, ResizeMode.CenterCrop, cache);
            var cold = clock.Elapsed.TotalSeconds;
            clock.Restart();
            ImageFolder.Load(folder, size, ResizeMode.CenterCrop, cache);
            var cached = clock.Elapsed.TotalSeconds;
            return (folder.StartsWith(scratch, StringComparison.Ordinal) ? "256 generated JPEG facades" : folder, first.Images.Count, cold, cached);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Work of one training iteration per image, in GFLOP (2 per multiply-add). A full backward pass costs
    /// about twice its forward pass (gradients for the inputs and for the weights), so: G forward (1) + D
    /// forward on real and fake (2) + their backward (4) in the D step, then D forward (1), D backward for its
    /// inputs only (1: D's weights are frozen in the G step) and G backward (2): 3 G and 8 D forwards.
    /// </summary>
    public static double GflopPerImage(ModelSummary generator, ModelSummary discriminator) =>
        2.0 * (3.0 * generator.MultiplyAdds + 8.0 * discriminator.MultiplyAdds) / 1e9;

    /// <summary>
    /// Median seconds per iteration, minor page faults per timed iteration (null off Linux), and the warm-up
    /// iterations run before the timed ones (see <see cref="WarmedUp"/>).
    /// </summary>
    private static (double Seconds, double? PageFaults, int Warmup) TrainingSeconds(Hyperparameters hp, ImageSet data, int iterations,
        int minWarmup = 2, int maxWarmup = 30)
    {
        using var trainer = new GanTrainer(hp, data);
        using var batches = new ImageBatches(data, hp.BatchSize, hp.Seed);
        double Step(int i) // seconds of the step alone, without cutting its batch
        {
            using var scope = torch.NewDisposeScope();
            var batch = batches.Batch(0, i % batches.BatchesPerEpoch);
            var clock = Stopwatch.StartNew();
            trainer.Step(batch);
            return clock.Elapsed.TotalSeconds;
        }

        var warmupFaults = new List<long?>();
        while (!WarmedUp(warmupFaults, minWarmup, maxWarmup))
        {
            var before = ProcessMemory.MinorPageFaults;
            Step(warmupFaults.Count);
            warmupFaults.Add(ProcessMemory.MinorPageFaults - before);
        }
        var times = new List<double>();
        var faultsBefore = ProcessMemory.MinorPageFaults;
        for (int i = 0; i < iterations; i++)
            times.Add(Step(warmupFaults.Count + i));
        var faults = ProcessMemory.MinorPageFaults - faultsBefore;
        return (Median(times), faults / (double)iterations, warmupFaults.Count);
    }

    private const int QuietIterations = 3;
    private const long QuietFaults = 1024; // 4 MB of 4 KB pages

    /// <summary>
    /// Whether warm-up, whose iterations faulted in <paramref name="faults"/> pages each so far, is over: never
    /// before <paramref name="minimum"/> iterations, then after <see cref="QuietIterations"/> in a row that
    /// each fault in fewer than <see cref="QuietFaults"/> pages, where page faults cannot be read, or at
    /// <paramref name="maximum"/>.
    /// </summary>
    /// <remarks>
    /// With freed memory kept in the C heap (<see cref="NativeHeap.KeepFreedMemory(long)"/>), glibc's heap keeps
    /// growing for the first dozen or two iterations of the article's model at batch 16 while it settles on a
    /// layout in which every block of an iteration fits: many of those iterations take tens of megabytes of
    /// fresh, zero-filled pages, and their oneDNN reorders are then many times slower. A run of hours trains in
    /// the settled state, so that is the state the benchmark times (docs/performance.md, "Measuring").
    /// </remarks>
    internal static bool WarmedUp(IReadOnlyList<long?> faults, int minimum, int maximum)
    {
        if (faults.Count < minimum) return false;
        if (faults.Count >= maximum) return true;
        if (faults.Any(f => f is null)) return true;
        return faults.Count >= QuietIterations && faults.TakeLast(QuietIterations).All(f => f < QuietFaults);
    }

    private static double SamplesPerSecond(Generator generator, Hyperparameters hp)
    {
        const int count = 64;
        Sampler.Generate(generator, 8, hp.LatentSize, 0); // warm-up
        var clock = Stopwatch.StartNew();
        Sampler.Generate(generator, count, hp.LatentSize, 1);
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A convolution of the model to time alone: its kind, input shape (C, H, W), output channels and stride.</summary>
    internal sealed record ConvShape(bool Transposed, long InChannels, long InSide, long OutChannels, long Stride, long MultiplyAdds);

    /// <summary>Every convolution of a network, in order: G's are transposed, D's are not.</summary>
    internal static List<ConvShape> Convolutions(ModelSummary summary, bool transposed)
    {
        var shapes = new List<ConvShape>();
        var input = summary.InputShape;
        foreach (var layer in summary.Layers)
        {
            if (layer.Kind == (transposed ? "ConvTranspose2d" : "Conv2d"))
            {
                long stride = transposed ? layer.OutputShape[1] / input[1] : input[1] / layer.OutputShape[1];
                shapes.Add(new ConvShape(transposed, input[0], input[1], layer.OutputShape[0], Math.Max(1, stride), layer.MultiplyAdds));
            }
            input = layer.OutputShape;
        }
        return shapes;
    }

    // The heaviest transposed convolution of G and the heaviest convolution of D: together they are most of
    // an iteration's work at every size.
    private static ConvShape[] HeaviestConvolutions(ModelSummary g, ModelSummary d) =>
        new[] { Convolutions(g, true).MaxBy(s => s.MultiplyAdds)!, Convolutions(d, false).MaxBy(s => s.MultiplyAdds)! };

    /// <summary>
    /// The time one float32 iteration would take if it did nothing but its convolutions: each of G's forward and
    /// backward once, each of D's three times (real and fake in the D step, fake again in the G step, where
    /// only the inputs' gradients are computed), timed alone at the model's shapes. Against the measured iteration it tells how much the rest costs (BatchNorm,
    /// activations, losses, Adam, the training loop), and against the reference how fast these convolutions
    /// themselves run, backward passes and the thin layers to and from RGB included.
    /// </summary>
    private static double ConvolutionSeconds(ModelSummary g, ModelSummary d, int batch) =>
        Convolutions(g, true).Sum(layer => PassSeconds(layer, batch, inputs: true, weights: true, timeForward: true))
        + Convolutions(d, false).Sum(layer => 2 * PassSeconds(layer, batch, inputs: true, weights: true, timeForward: true)
            + PassSeconds(layer, batch, inputs: true, weights: false, timeForward: true));

    /// <summary>
    /// Every convolution of <paramref name="hp"/>'s model timed alone in float32 at its batch size, one pass
    /// at a time: forward, the gradient for its input, the gradient for its weights and bias. Shows which
    /// layers and which passes fall short of the reference (<c>archgan bench --layers</c>).
    /// </summary>
    public static IReadOnlyList<LayerTiming> Layers(Hyperparameters hp, Action<string>? log = null)
    {
        hp = hp.Validate();
        NativeHeap.KeepFreedMemory(Architecture.LargestActivationBytes(hp)); // as training would: no fresh pages per pass
        using var g = new Generator(hp);
        using var d = new Discriminator(hp);
        var layers = Convolutions(ModelSummary.Of(g, hp.LatentSize), true).Select((layer, i) => (Name: $"G{i + 1}", Layer: layer))
            .Concat(Convolutions(ModelSummary.Of(d, hp.ImageSize), false).Select((layer, i) => (Name: $"D{i + 1}", Layer: layer)));
        var timings = new List<LayerTiming>();
        foreach (var (name, layer) in layers)
        {
            log?.Invoke($"{name}: {layer.InChannels} to {layer.OutChannels} channels at {layer.InSide} x {layer.InSide}");
            timings.Add(new LayerTiming(name, layer.Transposed, layer.InChannels, layer.InSide, layer.OutChannels, layer.Stride,
                2.0 * layer.MultiplyAdds * hp.BatchSize / 1e9,
                PassSeconds(layer, hp.BatchSize, inputs: false, weights: false, timeForward: true),
                PassSeconds(layer, hp.BatchSize, inputs: true, weights: false, timeForward: false),
                PassSeconds(layer, hp.BatchSize, inputs: false, weights: true, timeForward: false),
                RoutedThroughBatchWeightGradient(layer, ScalarType.Float32)));
        }
        return timings;
    }

    // Median of 3 runs after 1 of warm-up. With neither gradient asked for, the forward pass alone, without
    // autograd; otherwise the backward pass for the gradients asked for, with its forward pass if timeForward.
    private static double PassSeconds(ConvShape layer, int batch, bool inputs, bool weights, bool timeForward)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(batch, layer.InChannels, layer.InSide, layer.InSide).requires_grad_(inputs);
        var w = RandomWeights(layer).requires_grad_(weights);
        var b = torch.zeros(layer.OutChannels).requires_grad_(weights);
        bool backward = inputs || weights;
        double Once()
        {
            using var inner = torch.NewDisposeScope();
            using var gradients = torch.set_grad_enabled(backward);
            var clock = Stopwatch.StartNew();
            var y = Convolve(layer, x, w, b);
            if (!backward) return clock.Elapsed.TotalSeconds;
            var upstream = torch.ones_like(y);
            if (!timeForward) clock.Restart();
            y.backward(new[] { upstream });
            var seconds = clock.Elapsed.TotalSeconds;
            x.grad?.zero_();
            w.grad?.zero_();
            b.grad?.zero_();
            return seconds;
        }
        Once();
        return Median(new List<double> { Once(), Once(), Once() });
    }

    // In the layout each kind of convolution expects: transposed ones store (in, out, k, k), plain ones (out, in, k, k).
    private static Tensor RandomWeights(ConvShape layer) => layer.Transposed
        ? torch.randn(layer.InChannels, layer.OutChannels, Architecture.Kernel, Architecture.Kernel)
        : torch.randn(layer.OutChannels, layer.InChannels, Architecture.Kernel, Architecture.Kernel);

    // The model's own padding: 2 for the 5x5 kernels, and output_padding so a stride-2 transposed convolution
    // doubles the side. When the weights' gradient is wanted, by the route training takes at this shape.
    private static Tensor Convolve(ConvShape layer, Tensor x, Tensor weight, Tensor? bias)
    {
        long outputPadding = layer.Transposed ? layer.Stride - 1 : 0;
        return RoutedThroughBatchWeightGradient(layer, x.dtype) && weight.requires_grad && torch.is_grad_enabled()
            ? BatchWeightGradient.Apply(x, weight, bias, layer.Transposed, layer.Stride, 2, outputPadding)
            : BatchWeightGradient.Convolve(x, weight, bias, layer.Transposed, layer.Stride, 2, outputPadding);
    }

    private static bool RoutedThroughBatchWeightGradient(ConvShape layer, ScalarType dtype) => layer.Stride == 2
        && BatchWeightGradient.Pays(dtype, layer.Transposed, layer.Transposed ? layer.InSide : layer.InSide / 2, layer.Transposed ? layer.InChannels : layer.OutChannels);

    private static double ReferenceGflops(ConvShape[] layers, int batch, ScalarType dtype)
    {
        double flop = 0, seconds = 0;
        foreach (var layer in layers)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.randn(new long[] { batch, layer.InChannels, layer.InSide, layer.InSide }).to(dtype);
            var w = RandomWeights(layer).to(dtype);
            Tensor Once() => Convolve(layer, x, w, bias: null);
            Once().Dispose();
            Once().Dispose();
            // A layer takes a tenth of a second or so: nine runs keep the median steady from run to run.
            var times = new List<double>();
            for (int i = 0; i < 9; i++)
            {
                var clock = Stopwatch.StartNew();
                Once().Dispose();
                times.Add(clock.Elapsed.TotalSeconds);
            }
            flop += 2.0 * layer.MultiplyAdds * batch;
            seconds += Median(times);
        }
        return flop / seconds / 1e9;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
