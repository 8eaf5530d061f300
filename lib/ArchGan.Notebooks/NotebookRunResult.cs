namespace ArchGan.Notebooks;

/// <summary>The outcome of running one notebook.</summary>
public sealed class NotebookRunResult
{
    /// <summary>The notebook that was run (full path).</summary>
    public required string Path { get; init; }

    /// <summary>Where the executed notebook was written, or null when it was not written.</summary>
    public string? OutputPath { get; init; }

    /// <summary>True when every C# cell ran without an error.</summary>
    public bool Succeeded { get; init; }

    /// <summary>True when the run was cancelled (Ctrl+C, or the caller's token) before every cell had run.</summary>
    public bool Cancelled { get; init; }

    /// <summary>
    /// Index, in the executed notebook's cell list (markdown cells and an injected-parameters cell included),
    /// of the cell that failed; null on success or when the notebook failed before any cell ran.
    /// </summary>
    public int? FailedCellIndex { get; init; }

    /// <summary>The id of the cell that failed, when it has one.</summary>
    public string? FailedCellId { get; init; }

    /// <summary>What went wrong, in one line: for a cell, "cell N: ExceptionType: message".</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Wall time of the whole notebook, writing included.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Number of C# cells that were executed (the failing one included).</summary>
    public int ExecutedCellCount { get; init; }

    /// <summary>The parameter values that were injected, after smoke values and overrides were merged.</summary>
    public IReadOnlyDictionary<string, string> InjectedParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Things the runner noticed on the way (undeclared parameters, updates of values never displayed, a cancelled cell that ran on).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
