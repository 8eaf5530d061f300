using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Display;

/// <summary>
/// One picture of a run in progress for a notebook: a status line, the fixed-noise grid and the loss curves side
/// by side. Display it once and replace it as training goes:
/// <code>
/// var view = display(new TrainingDashboard(trainer.History));
/// trainer.Progress += p => { if (p.Samples is not null) view.Update(TrainingDashboard.From(p, trainer.History)); };
/// </code>
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class TrainingDashboard
{
    /// <summary>A dashboard of <paramref name="history"/> with an optional grid and status line.</summary>
    public TrainingDashboard(TrainingHistory history, ImageSet? samples = null, string? status = null, string? samplesTitle = null)
    {
        History = history ?? throw new ArgumentNullException(nameof(history));
        Samples = samples;
        Status = status ?? "Training has not started yet.";
        SamplesTitle = samplesTitle ?? "Fixed noise";
    }

    /// <summary>The run's losses so far.</summary>
    public TrainingHistory History { get; }
    /// <summary>The latest fixed-noise samples, or null.</summary>
    public ImageSet? Samples { get; }
    /// <summary>A line such as "epoch 3/8 · iteration 96/256 · lossD 1.12 · lossG 0.94".</summary>
    public string Status { get; }
    /// <summary>The caption above the grid.</summary>
    public string SamplesTitle { get; }

    /// <summary>The dashboard for a progress report of the trainer (its grid, when the report carries one).</summary>
    public static TrainingDashboard From(TrainingProgress progress, TrainingHistory history, ImageSet? lastSamples = null)
    {
        var status = FormattableString.Invariant(
            $"epoch {progress.Epoch}/{progress.Epochs} · iteration {progress.Iteration}/{progress.TotalIterations} · lossD {progress.Step.LossD:F3} · lossG {progress.Step.LossG:F3} · D(x) {progress.Step.DReal:F2} · D(G(z)) {progress.Step.DFake:F2} · {progress.IterationsPerSecond:F1} it/s");
        if (progress.Checkpoint is not null) status += " · checkpoint saved";
        return new TrainingDashboard(history, progress.Samples ?? lastSamples, status,
            FormattableString.Invariant($"Fixed noise after iteration {progress.Iteration}"));
    }

    /// <summary>The HTML a notebook shows.</summary>
    public string ToHtml() => NotebookHtml.Of(this);
}
