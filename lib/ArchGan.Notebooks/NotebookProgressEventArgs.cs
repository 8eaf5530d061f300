namespace ArchGan.Notebooks;

/// <summary>One step of a notebook run, for a progress display.</summary>
public sealed class NotebookProgressEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public NotebookProgressEventArgs(string notebookPath, int cellIndex, int cellCount, NotebookProgressStatus status, TimeSpan elapsed, string? message = null)
    {
        NotebookPath = notebookPath;
        CellIndex = cellIndex;
        CellCount = cellCount;
        Status = status;
        Elapsed = elapsed;
        Message = message;
    }

    /// <summary>The notebook being run (full path).</summary>
    public string NotebookPath { get; }

    /// <summary>Index of the cell in the executed notebook (all cell types counted); -1 for notebook-level events.</summary>
    public int CellIndex { get; }

    /// <summary>Number of cells in the executed notebook (all cell types).</summary>
    public int CellCount { get; }

    /// <summary>What happened.</summary>
    public NotebookProgressStatus Status { get; }

    /// <summary>For cell events, the cell's run time so far; for notebook events, the notebook's.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The error message of a failure, or why a cell was skipped.</summary>
    public string? Message { get; }
}
