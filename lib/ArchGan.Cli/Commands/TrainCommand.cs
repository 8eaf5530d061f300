using System.CommandLine;
using System.Runtime.InteropServices;
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
        var command = new Command("train", "Train the DCGAN; with no options, 50 epochs of the quick preset on 2,048 generated facades (about 15 minutes on 2 cores).")
        {
            data, facades, name, resume, overwrite, runs, threads, device, cache,
        };
        var hpOptions = new HyperparameterOptions(command);

        command.SetAction((result, _) => CliErrors.Run(() =>
        {
            var onDevice = DeviceChoice.Resolve(result.GetValue(device)!);
            var run = result.GetValue(resume) is string resumeFrom
                ? TrainingRun.Resume(resumeFrom, hpOptions.Given(result), result.GetValue(data), new DataSource(null, result.GetValue(facades), 0))
                : Start(result, hpOptions, new DataSource(result.GetValue(data), result.GetValue(facades), 0), result.GetValue(name), result.GetValue(runs)!, result.GetValue(overwrite));
            // Before the images load, which can take minutes: which damaged checkpoint was passed over, and for which backup.
            if (run.FallBack is string fallBack)
                AnsiConsole.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(fallBack)}");
            var hp = run.Hyperparameters;
            var runDirectory = run.Directory;

            var threadCount = Performance.ThreadChoice.Apply(result.GetValue(threads) ?? run.Source.Threads);
            if (run.Source.Folder is null)
                AnsiConsole.MarkupLine($"No --data folder: drawing {run.Source.Facades} facades of {hp.ImageSize}x{hp.ImageSize}.");
            var (images, report) = run.LoadImages(result.GetValue(cache)!);
            if (report is not null) AnsiConsole.WriteLine(report.ToString());
            using var trainer = run.Open(images, onDevice);
            if (run.DataChange is string change)
                AnsiConsole.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(change)}: training goes on, but not as an exact continuation.");
            if (run.Resumed is { } resumed)
                AnsiConsole.MarkupLine($"Resuming [bold]{Markup.Escape(Shown(resumed.Path))}[/] after iteration {trainer.Iteration}.");

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

    // A fresh run: the recipe from the options, named after its data and preset unless --name says otherwise.
    private static TrainingRun Start(ParseResult result, HyperparameterOptions hpOptions, DataSource source, string? name, string runs, bool overwrite)
    {
        var hp = hpOptions.Read(result);
        // A full path: the run folder is shown whole, and a checkpoint's error messages name it wherever the shell is.
        return TrainingRun.Start(hp, source, Path.GetFullPath(runs), name ?? TrainingRun.DefaultName(source, result.GetValue(hpOptions.Preset)!), overwrite);
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
