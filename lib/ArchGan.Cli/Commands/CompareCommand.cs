using System.CommandLine;
using ArchGan.Data;
using ArchGan.Experiments;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan compare</c>: trains recipes for the same wall-clock budget on the same images and writes the
/// table of SWD, nearest-neighbour ratio and diversity that docs/recipes.md shows, with a grid per recipe.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Folder of images. Default: generated facades." };
        var facades = new Option<int>("--facades") { Description = "Number of generated facades when no --data is given.", DefaultValueFactory = _ => 2048 }.AtLeast(1);
        var size = new Option<int?>("--image-size") { Description = "Image side for every recipe. Default: 64 for facades, 128 for a folder." };
        var resize = new Option<string>("--resize") { Description = "How a folder's non-square images are made square: center-crop, pad or stretch.", DefaultValueFactory = _ => "center-crop" };
        var minutes = new Option<double>("--minutes", "-m") { Description = "Training time per recipe.", DefaultValueFactory = _ => 10 };
        var recipes = new Option<string[]>("--recipe", "-r")
        {
            Description = "A recipe as name=preset[,field=value...], e.g. improved=quick or hinge=article,loss=hinge (a DiffAugment policy joins its parts with +: diff-augment=color+cutout). Repeat it; the first is the baseline. Default: article=article and improved=quick (facades) or improved=improved (a folder).",
            AllowMultipleArgumentsPerToken = false,
        };
        var sequential = new Option<bool>("--sequential") { Description = "Train recipes one after another with all threads, instead of side by side with one thread each." };
        var snapshots = new Option<int>("--snapshots") { Description = "SWD and KID measurements during each recipe's budget.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var count = new Option<int>("--count", "-n") { Description = "Images per side for SWD and KID (all of a smaller set).", DefaultValueFactory = _ => 256 }.AtLeast(2);
        var output = new Option<string>("--out", "-o") { Description = "Folder for results.md, results.json, grids and snapshots. Default: runs/compare-<data>-<size>." };
        var cache = new Option<string>("--cache") { Description = "Folder for resized-image caches.", DefaultValueFactory = _ => Path.Combine("data", ".cache") };
        var command = new Command("compare", "Train recipes for the same time on the same images and compare their samples (KID, FID, precision and recall, SWD, nearest-neighbour ratio, diversity), ranked by KID: how the tables in docs/recipes.md were made.")
        {
            data, facades, size, resize, minutes, recipes, sequential, snapshots, count, output, cache,
        };
        command.SetAction((result, token) => CliErrors.Run(() =>
        {
            var folder = result.GetValue(data);
            int side = result.GetValue(size) ?? (folder is null ? 64 : 128);
            if (!Hyperparameters.SupportedImageSizes.Contains(side))
                throw new HyperparameterException("--image-size", side, string.Join(", ", Hyperparameters.SupportedImageSizes));
            var budget = result.GetValue(minutes);
            if (!(budget > 0)) throw new HyperparameterException("--minutes", budget, "a positive number");
            var specs = result.GetValue(recipes) is { Length: > 0 } given ? given
                : new[] { "article=article", folder is null ? "improved=quick" : "improved=improved" };
            var arms = specs.Select(s => ParseRecipe(s, side)).ToList();

            ImageSet images;
            string dataName;
            if (folder is null)
            {
                dataName = "facades";
                images = Facades.Generate(result.GetValue(facades), side, 0);
            }
            else
            {
                dataName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
                var (loaded, report) = ImageFolder.Load(folder, side, (ResizeMode)Hyperparameters.Parse(nameof(Hyperparameters.Resize), result.GetValue(resize)!), result.GetValue(cache)!);
                Console.Error.WriteLine(report.ToString());
                images = loaded;
            }
            foreach (var arm in arms)
                if (arm.Hp.BatchSize > images.Count)
                    throw new HyperparameterException($"{arm.Name}: BatchSize", arm.Hp.BatchSize, $"at most the {images.Count} training images");
            var directory = result.GetValue(output) ?? Path.Combine("runs", $"compare-{dataName}-{side}");

            var comparison = RecipeComparison.Run(images, dataName, arms, TimeSpan.FromMinutes(budget), directory,
                parallel: !result.GetValue(sequential), snapshots: result.GetValue(snapshots), evaluationCount: result.GetValue(count),
                log: line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"), cancellation: token);
            Console.WriteLine(comparison.ToMarkdown());
            Console.WriteLine($"Written to {directory}/ (results.md, results.json, <recipe>/final.png).");
            return 0;
        }));
        return command;
    }

    /// <summary>"hinge=quick,loss=hinge,ema-decay=0.999" → a recipe named hinge: the quick preset with those fields, at <paramref name="side"/>.</summary>
    internal static Recipe ParseRecipe(string spec, int side)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var head = parts.Length > 0 ? parts[0].Split('=', 2, StringSplitOptions.TrimEntries) : Array.Empty<string>();
        if (head.Length != 2 || head[0].Length == 0)
            throw new HyperparameterException("--recipe", spec, "name=preset[,field=value...], e.g. improved=quick or hinge=quick,loss=hinge");
        var hp = Hyperparameters.Preset(head[1]) with { ImageSize = side };
        foreach (var part in parts.Skip(1))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2) throw new HyperparameterException("--recipe", spec, $"field=value after the preset, not \"{part}\"");
            hp = hp.With(pair[0], pair[1]);
        }
        return new Recipe(head[0], hp.Validate());
    }
}
