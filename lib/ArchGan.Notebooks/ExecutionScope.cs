namespace ArchGan.Notebooks;

/// <summary>
/// Which cell's outputs console writes and display() calls belong to. An AsyncLocal rather than a static, so
/// that work a cell starts (Task.Run, Parallel.For) still reports to it, while writes from unrelated threads
/// of the host (the CLI's progress display, a test runner) pass through to the real console.
/// </summary>
internal static class ExecutionScope
{
    private static readonly AsyncLocal<CellOutputs?> s_current = new();

    public static CellOutputs? Current => s_current.Value;

    public static void Enter(CellOutputs outputs) => s_current.Value = outputs;

    public static void Exit() => s_current.Value = null;
}
