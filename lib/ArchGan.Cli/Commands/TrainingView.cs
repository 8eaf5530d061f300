using System.Diagnostics;
using ArchGan.Model;
using ArchGan.Platform;
using ArchGan.Training;
using Spectre.Console;

namespace ArchGan.Cli.Commands;

/// <summary>
/// How the command line shows <see cref="GanTrainer.Progress"/>: a live bar on a terminal, and a plain
/// line every few seconds when the output goes to a file or CI log.
/// </summary>
internal static class TrainingView
{
    public static TrainingOutcome Run(GanTrainer trainer, CancellationToken stop)
    {
        TuneMemory(trainer);
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return RunPlain(trainer, stop);

        TrainingOutcome outcome = TrainingOutcome.Completed;
        // The bar is drawn by the training thread between iterations, not by Spectre's refresh thread: a garbage
        // collection that another thread starts while libtorch runs can free one of TorchSharp's temporary
        // Scalars mid-call (docs/troubleshooting.md, "TorchSharp's temporary Scalars"), and drawing was the busiest such thread.
        var clock = Stopwatch.StartNew();
        var drawn = TimeSpan.Zero;
        AnsiConsole.Progress()
            .AutoClear(false)
            .AutoRefresh(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: (double)trainer.Hp.Epochs * trainer.IterationsPerEpoch);
                task.Value = trainer.Iteration;
                context.Refresh();
                trainer.Progress += p =>
                {
                    task.Value = p.Iteration;
                    task.Description = Describe(p);
                    if (p.Checkpoint is null && clock.Elapsed - drawn < TimeSpan.FromMilliseconds(200)) return;
                    drawn = clock.Elapsed;
                    context.Refresh();
                };
                outcome = trainer.Train(stop);
                context.Refresh();
            });
        return outcome;
    }

    private static TrainingOutcome RunPlain(GanTrainer trainer, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? last = null;
        trainer.Progress += p =>
        {
            bool epochEnd = p.Iteration % trainer.IterationsPerEpoch == 0;
            if (!epochEnd && last is not null && clock.Elapsed - last < TimeSpan.FromSeconds(10)) return;
            last = clock.Elapsed;
            // Resident memory right after a checkpoint, when TuneMemory has just handed the heaps' free pages
            // back: a run that leaks shows it here, checkpoint after checkpoint.
            var saved = p.Checkpoint is null ? "" : $"  checkpoint saved  resident {Environment.WorkingSet >> 20} MB{HeapFigures()}";
            Console.WriteLine($"{Describe(p)}  {100.0 * p.Iteration / p.TotalIterations,5:F1}%  left {Duration(p.Remaining)}{saved}");
        };
        return trainer.Train(stop);
    }

    // The process's memory, tuned for a long run: the C heap keeps the blocks an iteration frees for the next
    // one (no fresh zero-filled pages for its large activations), and both heaps hand back what they hold
    // free at every checkpoint, a quiet moment, so that the resident size shows what the run needs.
    private static void TuneMemory(GanTrainer trainer)
    {
        NativeHeap.KeepFreedMemory(Architecture.LargestActivationBytes(trainer.Hp));
        trainer.Progress += p =>
        {
            if (p.Checkpoint is not null) ProcessMemory.Release();
        };
    }

    /// <summary>hh:mm:ss, with the days in front once there are any: the article's preset on a CPU runs for days.</summary>
    internal static string Duration(TimeSpan time) =>
        time.Days > 0 ? $"{time.Days}d {time:hh\\:mm\\:ss}" : $"{time:hh\\:mm\\:ss}";

    // What the resident size is made of: live C heap blocks (libtorch's tensors and their bookkeeping) and
    // the .NET heap. Resident minus both is mostly pages the C heap keeps, and the code itself.
    private static string HeapFigures() =>
        $"  ({(NativeHeap.InUse is long c ? $"C heap in use {c >> 20} MB, " : "")}.NET heap {GC.GetTotalMemory(false) >> 20} MB)";

    private static string Describe(TrainingProgress p) =>
        $"epoch {p.Epoch}/{p.Epochs}  it {p.Iteration}  {p.IterationsPerSecond:F1} it/s  lossD {p.Step.LossD:F3}  lossG {p.Step.LossG:F3}  D(x) {p.Step.DReal:F2}  D(G(z)) {p.Step.DFake:F2}";
}
