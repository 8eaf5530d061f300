using System.CommandLine;
using System.Text.Json;
using ArchGan.Model;
using ArchGan.Performance;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan bench</c>: training (float32 and bfloat16), sampling and data speed of a preset, against this
/// machine's convolution speed; <c>--sweep</c> times the model at every image size and several batch sizes.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed training iterations (after a warm-up of 2 to 30 that lets the C heap settle).", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var threads = new Option<int?>("--threads") { Description = "libtorch threads. Default: one per core." };
        var data = new Option<string>("--data", "-d") { Description = "Folder whose decoding and caching to time. Default: 256 generated JPEG facades." };
        var sweep = new Option<bool>("--sweep") { Description = "Instead: time the preset's model at 32, 64, 128 and 256 (batch 16), and at batch 4, 16 and 64 (128 x 128), in float32 and bfloat16 (2 iterations each after 1 of warm-up; minutes for the article's model)." };
        var layers = new Option<bool>("--layers") { Description = "Instead: time each convolution of the preset's model alone in float32, forward, input gradient and weight gradient: which layers and passes fall short." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON, to compare across commits." };
        var command = new Command("bench", "Measure training throughput in float32 and bfloat16 (GFLOP/s from the model's multiply-adds) against a convolution reference, plus batch, sampling, facade and folder decoding speed. Run on an idle machine.")
        {
            iterations, threads, data, sweep, layers, json,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option o) => result.GetResult(o) is { Implicit: false };
            if (Given(sweep) && Given(layers))
                result.AddError("--sweep and --layers are two separate measurements: give one of them.");
            else if ((Given(sweep) || Given(layers)) && Given(data))
                result.AddError($"--data is timed by the full bench only, not with {(Given(sweep) ? "--sweep" : "--layers")}.");
        });
        var hpOptions = new HyperparameterOptions(command, defaultPreset: "article");
        command.SetAction(result => CliErrors.Run(() =>
        {
            // All cores unless told otherwise: the bench measures the machine, and expects it idle.
            ThreadChoice.Apply(result.GetValue(threads) ?? Environment.ProcessorCount);
            var hp = hpOptions.Read(result);
            var quiet = result.GetValue(json);
            Action<string>? log = quiet ? null : line => Console.Error.WriteLine($"  {line} ...");
            if (result.GetValue(sweep)) return Sweep(hp, quiet, log);
            if (result.GetValue(layers)) return Layers(hp, quiet, log);

            var bench = TrainingBenchmark.Run(result.GetValue(hpOptions.Preset)!, hp, result.GetValue(iterations), result.GetValue(data), log);
            if (quiet)
            {
                Console.WriteLine(JsonSerializer.Serialize(bench, Indented));
                return 0;
            }
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("preset", $"{bench.Preset}: {bench.ImageSize}x{bench.ImageSize}, width {bench.Width}, batch {bench.BatchSize}, {bench.Threads} threads");
            table.AddRow("reference conv, float32", $"{bench.ReferenceGflops:F1} GFLOP/s (before training {bench.ReferenceBeforeGflops:F1}, after {bench.ReferenceAfterGflops:F1})");
            table.AddRow("reference conv, bfloat16", $"{bench.ReferenceBf16Gflops:F1} GFLOP/s");
            table.AddRow("work per iteration", $"{bench.GflopPerIteration:F1} GFLOP");
            table.AddRow("training iteration, float32 (median)", $"{bench.SecondsPerIteration:F3} s = {bench.ImagesPerSecond:F1} images/s (after {bench.WarmupIterations} of warm-up)");
            table.AddRow("achieved, float32", $"{bench.AchievedGflops:F1} GFLOP/s = {bench.FractionOfReference:P0} of the float32 reference");
            table.AddRow("its convolutions alone, float32", $"{bench.ConvolutionSeconds:F3} s = {bench.ConvolutionGflops:F1} GFLOP/s = {bench.ConvolutionShare:P0} of the iteration");
            table.AddRow("training iteration, bfloat16 (median)", $"{bench.SecondsPerIterationBf16:F3} s = {bench.BatchSize / bench.SecondsPerIterationBf16:F1} images/s (after {bench.WarmupIterationsBf16} of warm-up)");
            table.AddRow("bfloat16 speed-up", $"{bench.Bf16Speedup:F2}x");
            if (bench.PageFaultsPerIteration is double faults)
                table.AddRow("page faults per iteration, float32", $"{faults:F0} = {faults * Environment.SystemPageSize / (1 << 20):F0} MB zero-filled");
            table.AddRow("batch preparation (prefetched)", $"{bench.BatchSeconds * 1000:F1} ms = {bench.BatchFraction:P1} of an iteration");
            table.AddRow("sampling", $"{bench.SamplesPerSecond:F1} images/s");
            table.AddRow("facades drawn", $"{bench.FacadesPerSecond:F0} images/s");
            table.AddRow("folder decoded and resized", $"{bench.DataImages} images in {bench.DataSeconds:F2} s = {bench.DataImagesPerSecond:F0} images/s ({Markup.Escape(bench.DataSource)})");
            table.AddRow("same folder from the cache", $"{bench.DataCachedSeconds:F3} s");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static int Layers(Hyperparameters hp, bool json, Action<string>? log)
    {
        var timings = TrainingBenchmark.Layers(hp, log);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(timings, Indented));
            return 0;
        }
        string Pass(double seconds, double gflops) => $"{seconds * 1000:F1} ms = {gflops:F0} GFLOP/s";
        var table = new Table().AddColumns("layer", "shape", "GFLOP/pass", "forward", "input gradient", "weight gradient");
        foreach (var t in timings)
            table.AddRow(t.Name, $"{t.InChannels} x {t.InSide}² → {t.OutChannels} x {t.OutSide}²", $"{t.Gflop:F1}",
                Pass(t.ForwardSeconds, t.ForwardGflops), Pass(t.InputGradientSeconds, t.InputGradientGflops),
                Pass(t.WeightGradientSeconds, t.WeightGradientGflops) + (t.WeightGradientAsForwardConvolution ? " *" : ""));
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"float32, batch {hp.BatchSize}, {TorchSharp.torch.get_num_threads()} threads; median of 3 runs of each pass after 1 of warm-up");
        if (timings.Any(t => t.WeightGradientAsForwardConvolution))
            AnsiConsole.WriteLine("* computed as a forward convolution over the batch, as training does at this shape (faster here than libtorch's own)");
        return 0;
    }

    private static int Sweep(Hyperparameters hp, bool json, Action<string>? log)
    {
        var configurations = new[] { (32, 16), (64, 16), (128, 16), (256, 16), (128, 4), (128, 64) };
        var points = TrainingBenchmark.Sweep(hp, configurations, new[] { Precision.Float32, Precision.BFloat16 }, iterations: 2, log: log);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(points, Indented));
            return 0;
        }
        var table = new Table().AddColumns("size", "batch", "GFLOP/it", "float32 s/it", "float32 img/s", "float32 GFLOP/s", "bfloat16 s/it", "bfloat16 img/s", "speed-up");
        foreach (var group in points.GroupBy(p => (p.ImageSize, p.BatchSize)))
        {
            var f = group.First(p => p.Precision == Precision.Float32);
            var b = group.First(p => p.Precision == Precision.BFloat16);
            table.AddRow($"{f.ImageSize}", $"{f.BatchSize}", $"{f.GflopPerIteration:F0}", $"{f.SecondsPerIteration:F3}", $"{f.ImagesPerSecond:F1}",
                $"{f.Gflops:F0}", $"{b.SecondsPerIteration:F3}", $"{b.ImagesPerSecond:F1}", $"{f.SecondsPerIteration / b.SecondsPerIteration:F2}x");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
