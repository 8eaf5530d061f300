using System.CommandLine;
using System.Text.Json;
using ArchGan.Performance;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary><c>archgan bench</c>: training, sampling and data speed of a preset, against this machine's convolution speed.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed training iterations (after 2 of warm-up).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads. Default: one per core." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON, to compare across commits." };
        var command = new Command("bench", "Measure training throughput (GFLOP/s from the model's multiply-adds) against a convolution reference, plus sampling and facade drawing speed. Run on an idle machine.")
        {
            iterations, threads, json,
        };
        var hpOptions = new HyperparameterOptions(command, defaultPreset: "article");
        command.SetAction(result => CliErrors.Run(() =>
        {
            if (result.GetValue(threads) is int n)
            {
                if (n <= 0) throw new HyperparameterException("--threads", n, "a positive number");
                TorchSharp.torch.set_num_threads(n);
            }
            var hp = hpOptions.Read(result);
            var quiet = result.GetValue(json);
            var bench = TrainingBenchmark.Run(result.GetValue(hpOptions.Preset)!, hp, result.GetValue(iterations),
                quiet ? null : line => Console.Error.WriteLine($"  {line} ..."));
            if (quiet)
            {
                Console.WriteLine(JsonSerializer.Serialize(bench, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("preset", $"{bench.Preset}: {bench.ImageSize}x{bench.ImageSize}, width {bench.Width}, batch {bench.BatchSize}, {bench.Threads} threads");
            table.AddRow("reference conv, float32", $"{bench.ReferenceGflops:F1} GFLOP/s");
            table.AddRow("reference conv, bfloat16", $"{bench.ReferenceBf16Gflops:F1} GFLOP/s");
            table.AddRow("training iteration (median)", $"{bench.SecondsPerIteration:F3} s");
            table.AddRow("training images per second", $"{bench.ImagesPerSecond:F1}");
            table.AddRow("work per iteration", $"{bench.GflopPerIteration:F1} GFLOP");
            table.AddRow("achieved", $"{bench.AchievedGflops:F1} GFLOP/s = {bench.FractionOfReference:P0} of the float32 reference");
            table.AddRow("sampling", $"{bench.SamplesPerSecond:F1} images/s");
            table.AddRow("facades drawn", $"{bench.FacadesPerSecond:F0} images/s");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
