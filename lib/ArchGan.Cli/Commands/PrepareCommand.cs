using System.CommandLine;
using ArchGan.Data;
using ArchGan.Display;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan prepare</c>: the article's step 1. Decodes and resizes every image under a folder once,
/// caches the result, reports what was skipped and why, and writes a preview grid.
/// </summary>
internal static class PrepareCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Folder of images (searched recursively).", Required = true };
        var size = new Option<int>("--size", "-s") { Description = "Side of the square images.", DefaultValueFactory = _ => 128 }.Within(1, 4096);
        var resize = new Option<string>("--resize", "-r") { Description = "center-crop (default), pad, or stretch (the article's).", DefaultValueFactory = _ => "center-crop" };
        var cache = new Option<string>("--cache") { Description = "Folder for the resized-image cache.", DefaultValueFactory = _ => Path.Combine("data", ".cache") };
        var preview = new Option<string>("--preview") { Description = "Where to write a grid of the first 64 prepared images.", DefaultValueFactory = _ => Path.Combine("data", "prepared-preview.png") };
        var command = new Command("prepare", "Resize a folder of images to squares and cache them, reporting unusable files.") { data, size, resize, cache, preview };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var (images, report) = ImageFolder.Load(result.GetValue(data)!, result.GetValue(size), (ResizeMode)Hyperparameters.Parse(nameof(Hyperparameters.Resize), result.GetValue(resize)!), result.GetValue(cache));
            AnsiConsole.WriteLine(report.ToString());
            // Caching is what prepare is for, so a cache it could not write fails it; train only notes it.
            if (report.CacheWriteError is string failed)
            {
                Console.Error.WriteLine($"error: {failed} The images were read, but not cached.");
                return CliErrors.Failed;
            }
            var grid = new SampleGrid(images.Take(64)).Save(result.GetValue(preview)!);
            AnsiConsole.MarkupLine($"Preview: [bold]{Markup.Escape(Path.GetFullPath(grid))}[/]");
            return 0;
        }));
        return command;
    }
}
