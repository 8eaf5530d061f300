using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// <c>archgan train</c>: trains on a folder of images, or on generated facades when none is given, and
/// writes grids, curves and checkpoints under <c>runs/&lt;name&gt;/</c>. Ctrl+C or SIGTERM saves and exits.
/// </summary>
internal static class TrainCommand
{
    /// <summary>
    /// What a run was trained on, saved beside it so that --resume can find the same images and tell whether
    /// they are still the same (their number and <see cref="ImageSet.Fingerprint"/>), and with how many libtorch
    /// threads: sums over another number of threads round differently, so an exact continuation needs the
    /// same count.
    /// </summary>
    private sealed record DataSource(string? Folder, int Facades, int FacadeSeed, int? Threads = null, int? Images = null, string? Fingerprint = null);

    private static string Shown(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Folder of images (searched recursively). Default: generated facades. With --resume: where the run's images are now, if they have moved." };
        var facades = new Option<int>("--facades") { Description = "Number of generated facades when no --data is given.", DefaultValueFactory = _ => 2048 }.AtLeast(1);
        var name = new Option<string>("--name") { Description = "Run name: results go to runs/<name>/. Default: <data>-<preset>." };
        var resume = new Option<string>("--resume") { Description = "Continue a run: its folder or checkpoint file. --epochs may raise its epoch budget." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start afresh even if the run folder already holds a checkpoint; the old run's checkpoints, grids and curves are deleted." };
        var runs = new Option<string>("--runs") { Description = "Folder that holds the run folders.", DefaultValueFactory = _ => "runs" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch. Default: one per core that other processes leave idle when the run starts (waiting threads slow every operation)." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var cache = new Option<string>("--cache") { Description = "Folder for resized-image caches.", DefaultValueFactory = _ => Path.Combine("data", ".cache") };
        var command = new Command("train", "Train the DCGAN; with no options, 25 epochs of the quick preset on 2,048 generated facades (about 10 minutes on 2 cores).")
        {
            data, facades, name, resume, overwrite, runs, threads, device, cache,
        };
        var hpOptions = new HyperparameterOptions(command);

        command.SetAction((result, _) => CliErrors.Run(() =>
        {
            var onDevice = DeviceChoice.Resolve(result.GetValue(device)!);
            var resumeFrom = result.GetValue(resume);
            string runDirectory;
            Hyperparameters hp;
            DataSource source;
            string? checkpoint = null;
            if (resumeFrom is not null)
            {
                checkpoint = SampleCommand.Resolve(resumeFrom);
                runDirectory = Checkpoint.RunDirectoryOf(checkpoint);
                var info = Checkpoint.ReadInfo(checkpoint);
                hp = info.Hyperparameters;
                foreach (var (field, value) in hpOptions.Given(result))
                {
                    if (field != nameof(Hyperparameters.Epochs))
                        throw new HyperparameterException(HyperparameterOptions.OptionName(field), value, "no change when resuming (only --epochs may be raised); start a new run to change it");
                    hp = hp with { Epochs = (int)value };
                }
                if (hp.Epochs <= info.Epoch)
                    throw new HyperparameterException("--epochs", hp.Epochs, $"more than the {info.Epoch} epochs that {Shown(checkpoint)} has finished, to train it further");
                // A folder given with --resume replaces the saved one, for images that have moved.
                var saved = ReadSource(runDirectory);
                var folder = result.GetValue(data);
                source = saved is null ? new DataSource(folder, result.GetValue(facades), 0)
                    : folder is null ? saved : saved with { Folder = folder };
            }
            else
            {
                hp = hpOptions.Read(result);
                source = new DataSource(result.GetValue(data), result.GetValue(facades), 0);
                var runName = result.GetValue(name) ?? $"{(source.Folder is null ? "facades" : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source.Folder))))}-{result.GetValue(hpOptions.Preset)!.ToLowerInvariant()}";
                runDirectory = Path.GetFullPath(Path.Combine(result.GetValue(runs)!, runName));
                if (Checkpoint.InRun(runDirectory) is not null && !result.GetValue(overwrite))
                {
                    var shown = Shown(runDirectory);
                    throw new HyperparameterException("--name", runName,
                        $"a new run name: {shown} already holds a checkpoint. Continue it with --resume {shown}, or pass --overwrite or another --name");
                }
            }

            var threadCount = Performance.ThreadChoice.Apply(result.GetValue(threads) ?? source.Threads);
            source = source with { Threads = threadCount };
            var images = LoadImages(source, hp, result.GetValue(cache)!);
            var fingerprint = images.Fingerprint();
            if (checkpoint is not null && DataChange(source, images, fingerprint) is string change)
                AnsiConsole.MarkupLine($"[yellow]Warning:[/] {change}: training goes on, but not as an exact continuation.");
            source = source with { Images = images.Count, Fingerprint = fingerprint };
            using var trainer = checkpoint is not null
                ? GanTrainer.Resume(checkpoint, images, runDirectory, hp.Epochs, onDevice)
                : new GanTrainer(hp, images, runDirectory, onDevice);
            if (checkpoint is not null)
                AnsiConsole.MarkupLine($"Resuming [bold]{Markup.Escape(Shown(checkpoint))}[/] after iteration {trainer.Iteration}.");
            else
                RunFiles.Clear(runDirectory); // only now, with the recipe and the images accepted, does an old run under this name give way
            WriteSource(runDirectory, source);

            AnsiConsole.MarkupLine($"Training on [bold]{images.Count}[/] images of {hp.ImageSize}x{hp.ImageSize} on the {onDevice.type.ToString().ToUpperInvariant()}{(onDevice.type == TorchSharp.DeviceType.CPU ? $" ({threadCount} thread{(threadCount == 1 ? "" : "s")})" : "")}, {trainer.Precision}{(hp.Precision == Precision.Auto ? " (auto)" : "")}, batch {hp.BatchSize}, {trainer.IterationsPerEpoch} iterations per epoch, epochs {trainer.Epoch + 1} to {hp.Epochs}.");
            AnsiConsole.MarkupLine($"Run folder: [bold]{Markup.Escape(runDirectory)}[/]  (Ctrl+C saves a checkpoint and stops)");

            using var stop = new CancellationTokenSource();
            using var interrupt = StopOn(stop);
            var outcome = TrainingView.Run(trainer, stop.Token);

            var samples = Path.Combine(runDirectory, "samples");
            if (outcome == TrainingOutcome.Cancelled)
            {
                AnsiConsole.MarkupLine($"[yellow]Stopped[/] after iteration {trainer.Iteration}; checkpoint saved. Continue with: archgan train --resume {Markup.Escape(Shown(runDirectory))}");
                return CliErrors.Cancelled;
            }
            AnsiConsole.MarkupLine($"Done. Final grid: [bold]{Markup.Escape(Path.Combine(samples, "final.png"))}[/], curves: [bold]{Markup.Escape(Path.Combine(runDirectory, "losses.html"))}[/]");
            return 0;
        }));
        return command;
    }

    private static ImageSet LoadImages(DataSource source, Hyperparameters hp, string cacheDirectory)
    {
        if (source.Folder is null)
        {
            AnsiConsole.MarkupLine($"No --data folder: drawing {source.Facades} facades of {hp.ImageSize}x{hp.ImageSize}.");
            return Facades.Generate(source.Facades, hp.ImageSize, source.FacadeSeed);
        }
        var (images, report) = ImageFolder.Load(source.Folder, hp.ImageSize, hp.Resize, cacheDirectory);
        AnsiConsole.WriteLine(report.ToString());
        return images;
    }

    // How the images a run resumes on differ from those it was trained on, or null where they do not (or where
    // a run from before the count and the fingerprint were recorded cannot tell).
    private static string? DataChange(DataSource saved, ImageSet images, string fingerprint) =>
        saved.Images is int trainedOn && trainedOn != images.Count
            ? $"the run was trained on {trainedOn} images and the data now gives {images.Count}"
            : saved.Fingerprint is string before && before != fingerprint
                ? $"the data gives as many images as the run was trained on, but not the same ones (fingerprint {fingerprint}, was {before})"
                : null;

    private static void WriteSource(string runDirectory, DataSource source)
    {
        var folder = source.Folder is null ? null : Path.GetFullPath(source.Folder);
        IO.AtomicFile.WriteAllText(Path.Combine(runDirectory, "data.json"), JsonSerializer.Serialize(source with { Folder = folder }));
    }

    private static DataSource? ReadSource(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "data.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<DataSource>(File.ReadAllText(path)) : null;
    }

    /// <summary>Ctrl+C and SIGTERM ask the trainer to stop (it saves first); a second Ctrl+C ends the process at once.</summary>
    private static IDisposable StopOn(CancellationTokenSource stop)
    {
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested) return; // second Ctrl+C: let the process end
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        return new Unsubscribe(() =>
        {
            Console.CancelKeyPress -= onCancel;
            sigterm.Dispose();
        });
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
