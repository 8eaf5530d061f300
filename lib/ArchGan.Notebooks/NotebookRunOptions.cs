namespace ArchGan.Notebooks;

/// <summary>How <see cref="NotebookRunner"/> runs notebooks and where it writes them.</summary>
public sealed class NotebookRunOptions
{
    /// <summary>
    /// Overrides for variables of the cell tagged <c>parameters</c> (papermill's convention), injected as a new
    /// cell tagged <c>injected-parameters</c> right after it. Values are text and are typed after the
    /// parameters cell's declaration of the same name (see <see cref="NotebookRunner"/>). They win over
    /// <see cref="Smoke"/> values.
    /// </summary>
    public IDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Apply the notebook's own small test values, declared in its metadata as
    /// <c>"archgan": {"smoke": {"Epochs": 1, "ImageCount": "16"}}</c> (JSON numbers, booleans or strings),
    /// as parameters. A notebook without smoke values runs with its defaults.
    /// </summary>
    public bool Smoke { get; set; }

    /// <summary>Write each executed notebook, under its own file name, into this folder (created if needed).</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Rewrite each notebook file with its outputs. Not together with <see cref="OutputDirectory"/>.</summary>
    public bool InPlace { get; set; }

    /// <summary>
    /// After a cancelled run, how long to wait for the cancelled cell's code to return (training writes its
    /// checkpoint then) before the kernel is ended anyway.
    /// </summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromMinutes(2);
}
