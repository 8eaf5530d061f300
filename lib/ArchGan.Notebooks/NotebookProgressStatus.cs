namespace ArchGan.Notebooks;

/// <summary>What a <see cref="NotebookProgressEventArgs"/> reports.</summary>
public enum NotebookProgressStatus
{
    /// <summary>The notebook was read and is about to run (cell index -1).</summary>
    NotebookStarted,

    /// <summary>A C# cell is about to run.</summary>
    CellStarted,

    /// <summary>A C# cell ran without error.</summary>
    CellSucceeded,

    /// <summary>A C# cell failed; the notebook stops here.</summary>
    CellFailed,

    /// <summary>All cells ran (cell index = cell count).</summary>
    NotebookSucceeded,

    /// <summary>The notebook stopped at a failure (cell index = the failing cell, or -1 before any cell).</summary>
    NotebookFailed,
}
