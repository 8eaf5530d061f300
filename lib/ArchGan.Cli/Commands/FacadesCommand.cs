using System.CommandLine;
using System.Diagnostics;
using ArchGan.Data;
using ArchGan.Display;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary><c>archgan facades</c>: writes procedurally drawn building facades as PNG files.</summary>
internal static class FacadesCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-n") { Description = "Number of images.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var size = new Option<int>("--size", "-s") { Description = "Side of each image in pixels.", DefaultValueFactory = _ => 128 }.Within(Facades.MinSize, Facades.MaxSize);
        var seed = new Option<int>("--seed") { Description = "Same seed, same facades.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write into.", DefaultValueFactory = _ => Path.Combine("data", "facades") };
        var grid = new Option<bool>("--grid") { Description = "Also write <folder>-grid.png beside the folder, showing up to 256 of them." };
        var command = new Command("facades", "Draw building facades (villas, glass grids, row houses, towers) as PNG files.")
        {
            count, size, seed, output, grid,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            var set = Facades.Generate(result.GetValue(count), result.GetValue(size), result.GetValue(seed));
            var drawn = clock.Elapsed.TotalSeconds;
            var folder = result.GetValue(output)!;
            ImagePng.WriteAll(set, folder, "facade-");
            AnsiConsole.MarkupLine($"Drew {set.Count} facades of {set.Size}x{set.Size} in {drawn:F2} s; wrote them to [bold]{Markup.Escape(folder)}[/].");
            if (result.GetValue(grid) && set.Count > 0)
            {
                var path = new SampleGrid(set.Take(256)).Save(Path.Combine(folder, "..", Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) + "-grid.png"));
                AnsiConsole.MarkupLine($"Grid: [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
            }
            return 0;
        }));
        return command;
    }
}
