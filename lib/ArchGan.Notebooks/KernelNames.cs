namespace ArchGan.Notebooks;

/// <summary>The subkernel names of .NET Interactive, so that `#!fsharp` selects a kernel while `#!time` is a magic command.</summary>
internal static class KernelNames
{
    public const string CSharp = "csharp";

    private static readonly HashSet<string> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        "csharp", "fsharp", "pwsh", "javascript", "html", "markdown", "sql", "kql", "mermaid", "value",
        "http", "python", "r", "vscode", "webview", "typescript",
    };

    public static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "c#" or "cs" => "csharp",
        "f#" or "fs" => "fsharp",
        "powershell" => "pwsh",
        "js" => "javascript",
        "md" => "markdown",
        var other => other,
    };

    /// <summary>Whether `#!name` on a line of its own switches kernels (as opposed to being a magic command).</summary>
    public static bool IsKernelName(string name) => s_known.Contains(Normalize(name));
}
