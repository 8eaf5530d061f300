namespace ArchGan.Notebooks;

/// <summary>The names .NET Interactive gives its subkernels, as notebook metadata spells them in several ways.</summary>
internal static class KernelNames
{
    public const string CSharp = "csharp";

    public static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "c#" or "cs" => "csharp",
        "f#" or "fs" => "fsharp",
        "powershell" => "pwsh",
        "js" => "javascript",
        "md" => "markdown",
        var other => other,
    };
}
