using ArchGan.Data;
using ArchGan.Display;
using ArchGan.IO;

namespace ArchGan.Training;

/// <summary>
/// The files of a run directory (<c>runs/&lt;name&gt;/</c>): <c>hyperparameters.json</c>, <c>samples/*.png</c>
/// grids from the fixed noise, <c>losses.html</c>, and the checkpoint (written by <see cref="Checkpoint"/>).
/// <see cref="TrainingRun"/> adds <c>data.json</c> and knows which of these files a fresh run clears.
/// </summary>
public sealed class RunFiles
{
    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public RunFiles(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(SamplesDirectory);
    }

    /// <summary>The run directory.</summary>
    public string Directory { get; }
    /// <summary>Where the sample grids go.</summary>
    public string SamplesDirectory => Path.Combine(Directory, "samples");
    /// <summary>The loss and D-output charts.</summary>
    public string LossesPath => Path.Combine(Directory, "losses.html");
    /// <summary>The hyperparameters of the run, as JSON.</summary>
    public string HyperparametersPath => Path.Combine(Directory, "hyperparameters.json");

    /// <summary>Writes the hyperparameters used.</summary>
    public void WriteHyperparameters(Hyperparameters hp) => AtomicFile.WriteAllText(HyperparametersPath, hp.ToJson());

    /// <summary>Writes a grid as <c>samples/{name}.png</c>.</summary>
    public string WriteSamples(ImageSet samples, string name) =>
        new SampleGrid(samples).Save(Path.Combine(SamplesDirectory, name + ".png"));

    /// <summary>Writes both training charts into one offline HTML page.</summary>
    public void WriteLosses(TrainingHistory history)
    {
        if (history.Count == 0) return;
        Plots.SaveHtml(Plots.Training(history), LossesPath);
    }
}
