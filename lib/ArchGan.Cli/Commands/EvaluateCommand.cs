using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ArchGan.Data;
using ArchGan.Metrics;
using ArchGan.Sampling;
using ArchGan.Training;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan evaluate</c>: measures sample quality against real images: KID, FID and precision and recall on
/// ResNet18 features, the sliced Wasserstein distance of Karras et al. 2018 per pyramid level, the
/// nearest-training-image ratio (memorization) and the diversity ratio (mode collapse). Either a checkpoint's samples against a data folder, or any two folders of images.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Checkpoint file or run folder whose generator is evaluated (needs --data)." };
        var data = new Option<string>("--data", "-d") { Description = "Folder of real images to compare the checkpoint's samples with, loaded at the checkpoint's image size and resize mode." };
        var real = new Option<string>("--real") { Description = "Folder of real images (with --fake instead of --checkpoint)." };
        var fake = new Option<string>("--fake") { Description = "Folder of generated images, e.g. another project's samples (with --real)." };
        var size = new Option<int>("--size", "-s") { Description = "Image side for --real/--fake (a power of two, at least 16).", DefaultValueFactory = _ => 128 };
        var resize = new Option<string>("--resize", "-r") { Description = "How --real/--fake images are made square: center-crop (default), pad or stretch.", DefaultValueFactory = _ => "center-crop" };
        var count = new Option<int>("--count", "-n")
        {
            Description = "Images per side for the distance: this many samples and as many real images (a seeded random choice when the folder holds more). " +
                          "With fewer real (or fake) images, all of them and as many of the other side. Numbers are only comparable at equal counts.",
            DefaultValueFactory = _ => 256,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the samples, the choice of images, the patches and the projections.", DefaultValueFactory = _ => 0 };
        var cache = new Option<string>("--cache") { Description = "Folder for resized-image caches.", DefaultValueFactory = _ => Path.Combine("data", ".cache") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON only." };
        var command = new Command("evaluate", """
            Measure sample quality: KID (x1e3, ± its spread over random subsets; about 0: as close as two draws of the real images),
            FID, precision and recall (on ImageNet ResNet18 features), sliced Wasserstein distance (x1e3, per Laplacian pyramid
            level and average; lower is closer), nearest-training-image ratio (about 0: copies, about 1: as novel as real images are from each other) and
            diversity (mean pairwise distance of samples over that of real images; near 0: mode collapse).
            Use --checkpoint with --data, or --real with --fake.
            """)
        {
            checkpoint, data, real, fake, size, resize, count, seed, cache, json,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option o) => result.GetResult(o) is { Implicit: false };
            bool fromCheckpoint = Given(checkpoint) || Given(data), fromFolders = Given(real) || Given(fake);
            if (fromCheckpoint && fromFolders)
                result.AddError("Use either --checkpoint with --data, or --real with --fake, not both.");
            else if (fromCheckpoint && !(Given(checkpoint) && Given(data)))
                result.AddError(Given(checkpoint)
                    ? "--checkpoint needs --data: the folder of real images to compare the samples with."
                    : "--data needs --checkpoint: the generator to evaluate (or compare two folders with --real and --fake).");
            else if (fromFolders && !(Given(real) && Given(fake)))
                result.AddError("--real and --fake go together: give both folders.");
            else if (!fromCheckpoint && !fromFolders)
                result.AddError("Nothing to evaluate: give --checkpoint and --data, or --real and --fake.");
        });

        command.SetAction(result => CliErrors.Run(() =>
        {
            int n = result.GetValue(count), s = result.GetValue(seed), side = result.GetValue(size);
            if (n < 2) throw new HyperparameterException("--count", n, "at least 2");
            if (side < 16 || (side & (side - 1)) != 0) throw new HyperparameterException("--size", side, "a power of two of at least 16 (e.g. 64, 128)");
            var cacheFolder = result.GetValue(cache);
            ImageSet realAll, fakeSet;
            string realName, fakeName;
            if (result.GetValue(checkpoint) is string given)
            {
                var path = TrainingRun.FindCheckpoint(given);
                var (generator, hp) = Checkpoint.LoadGenerator(path);
                using (generator)
                {
                    realAll = ImageFolder.Load(result.GetValue(data)!, hp.ImageSize, hp.Resize, cacheFolder).Images;
                    fakeSet = Sampler.Generate(generator, Math.Min(n, realAll.Count), hp.LatentSize, s);
                }
                (realName, fakeName) = (result.GetValue(data)!, path);
            }
            else
            {
                var mode = (ResizeMode)Hyperparameters.Parse(nameof(Hyperparameters.Resize), result.GetValue(resize)!);
                realAll = ImageFolder.Load(result.GetValue(real)!, side, mode, cacheFolder).Images;
                fakeSet = ImageFolder.Load(result.GetValue(fake)!, side, mode, cacheFolder).Images;
                fakeSet = fakeSet.Choose(Math.Min(n, realAll.Count), s + 1);
                (realName, fakeName) = (result.GetValue(real)!, result.GetValue(fake)!);
            }
            var realSet = realAll.Choose(fakeSet.Count, s);
            if (realSet.Count < 2)
                throw new DatasetException($"Need at least 2 images on each side, got {realSet.Count}.", realName);

            FeatureQualityResult quality;
            using (var network = ImageFeatures.Load())
                quality = FeatureQuality.Measure(network, realSet, fakeSet, s);
            var swd = SlicedWasserstein.Measure(realSet, fakeSet, s);
            var uniqueness = Uniqueness.Measure(fakeSet, realAll, seed: s);
            var diversity = Diversity.Measure(fakeSet, realAll, seed: s);
            if (result.GetValue(json))
                Console.Out.WriteLine(ToJson(realName, fakeName, realAll, fakeSet, s, quality, swd, uniqueness, diversity));
            else
                Print(realName, fakeName, realAll, fakeSet, quality, swd, uniqueness, diversity);
            return 0;
        }));
        return command;
    }

    private static void Print(string realName, string fakeName, ImageSet realAll, ImageSet fakeSet,
        FeatureQualityResult quality, SwdResult swd, UniquenessResult uniqueness, DiversityResult diversity)
    {
        static string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"Real: [bold]{Markup.Escape(realName)}[/] ({realAll.Count} images); generated: [bold]{Markup.Escape(fakeName)}[/]; {swd.ImageCount} per side at {fakeSet.Size} x {fakeSet.Size}, seed {swd.Seed}.");
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        table.AddRow("[bold]KID x1e3[/]", $"[bold]{quality.Kid.Mean:N0}[/] ± {quality.Kid.StandardDeviation:N0}",
            $"lower is closer; about 0 within ± for two draws of the real images ({quality.Kid.Subsets} subsets of {quality.Kid.SubsetSize})");
        table.AddRow("FID", F(quality.Fid, "F1"), "lower is closer; biased upwards at small counts, compare at equal counts only");
        table.AddRow("precision", F(quality.PrecisionRecall.Precision), "share of samples that look like some real image");
        table.AddRow("recall", F(quality.PrecisionRecall.Recall), "share of real images some sample looks like");
        for (int i = 0; i < swd.Resolutions.Count; i++)
            table.AddRow($"SWD x1e3, {swd.Resolutions[i]} px", F(swd.Distances[i], "F1"),
                i == swd.Resolutions.Count - 1 ? "low-pass: colours, large shapes" : i == 0 ? "finest detail: edges, texture" : "");
        table.AddRow("[bold]SWD x1e3, average[/]", $"[bold]{F(swd.Average, "F1")}[/]", "lower is closer to the real images");
        table.AddRow("NN ratio (median)", F(uniqueness.MedianRatio), "≈0 copies, ≈1 as novel as real images are from each other");
        table.AddRow("NN ratio (min)", F(uniqueness.MinRatio), $"closest sample: {Markup.Escape(Closest(uniqueness, fakeSet, realAll))}");
        table.AddRow("diversity", F(diversity.Ratio), "≈0 mode collapse, ≈1 as varied as real images");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"ResNet18 features: {F(quality.MillisecondsPerImage, "F0")} ms an image.");
    }

    private static string Closest(UniquenessResult u, ImageSet fake, ImageSet real)
    {
        int i = Enumerable.Range(0, u.NearestDistances.Count).MinBy(k => u.NearestDistances[k]);
        return $"{fake.Names[i]} ~ {real.Names[u.NearestIndices[i]]}";
    }

    private static string ToJson(string realName, string fakeName, ImageSet realAll, ImageSet fakeSet, int seed,
        FeatureQualityResult quality, SwdResult swd, UniquenessResult uniqueness, DiversityResult diversity) =>
        JsonSerializer.Serialize(new
        {
            real = realName,
            fake = fakeName,
            realImages = realAll.Count,
            count = swd.ImageCount,
            size = fakeSet.Size,
            seed,
            kid = new { mean = quality.Kid.Mean, standardDeviation = quality.Kid.StandardDeviation, subsets = quality.Kid.Subsets, subsetSize = quality.Kid.SubsetSize },
            fid = quality.Fid,
            precision = quality.PrecisionRecall.Precision,
            recall = quality.PrecisionRecall.Recall,
            featureMillisecondsPerImage = quality.MillisecondsPerImage,
            swd = new { resolutions = swd.Resolutions, perLevel = swd.Distances, average = swd.Average },
            uniqueness = new
            {
                medianRatio = uniqueness.MedianRatio,
                minRatio = uniqueness.MinRatio,
                trainingMedianDistance = uniqueness.TrainingMedianDistance,
                nearest = Enumerable.Range(0, fakeSet.Count).Select(i => new
                {
                    fake = fakeSet.Names[i],
                    real = realAll.Names[uniqueness.NearestIndices[i]],
                    realIndex = uniqueness.NearestIndices[i],
                    distance = uniqueness.NearestDistances[i],
                }),
            },
            diversity = new { ratio = diversity.Ratio, generatedMeanDistance = diversity.GeneratedMeanDistance, realMeanDistance = diversity.RealMeanDistance },
        }, Json);
}
