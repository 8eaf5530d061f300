using System.CommandLine;
using ArchGan.Display;
using ArchGan.Sampling;
using ArchGan.Training;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary><c>archgan sample</c>: images from a trained generator, as a grid and as single PNG files.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = "Checkpoint file, or a run folder (its checkpoint is used). Default: the newest under --runs.",
        };
        var runs = new Option<string>("--runs") { Description = "Folder searched for the newest checkpoint when --checkpoint is not given.", DefaultValueFactory = _ => "runs" };
        var count = new Option<int>("--count", "-n") { Description = "Number of images.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the noise; the same seed gives the same images.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the images. Default: samples/ in the checkpoint's run folder." };
        var interpolate = new Option<bool>("--interpolate") { Description = "Also write interpolation.png: 8 walks between random points of the latent space." };
        var command = new Command("sample", "Generate images from a trained checkpoint.") { checkpoint, runs, count, seed, output, interpolate };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var path = TrainingRun.FindCheckpoint(result.GetValue(checkpoint), result.GetValue(runs)!);
            var (generator, hp) = Checkpoint.LoadGenerator(path);
            using (generator)
            {
                var folder = result.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "samples", $"seed-{result.GetValue(seed)}");
                var images = Sampler.Generate(generator, result.GetValue(count), hp.LatentSize, result.GetValue(seed));
                ImagePng.WriteAll(images, folder, "sample-");
                var grid = new SampleGrid(images).Save(Path.Combine(folder, "grid.png"));
                AnsiConsole.MarkupLine($"Wrote {images.Count} images and [bold]{Markup.Escape(grid)}[/] from {Markup.Escape(path)}.");
                if (result.GetValue(interpolate))
                {
                    var walk = Sampler.Interpolate(generator, 8, 8, hp.LatentSize, result.GetValue(seed));
                    var file = new SampleGrid(walk, columns: 8).Save(Path.Combine(folder, "interpolation.png"));
                    AnsiConsole.MarkupLine($"Latent walks: [bold]{Markup.Escape(file)}[/]");
                }
            }
            return 0;
        }));
        return command;
    }
}
