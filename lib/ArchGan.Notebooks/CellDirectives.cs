using System.Text;
using System.Text.RegularExpressions;

namespace ArchGan.Notebooks;

/// <summary>
/// A cell's source split the way the kernel splits it before Roslyn sees it: `#!` lines (kernel selectors and
/// magic commands) and `#r "nuget:"` / `#i` directives are taken out, and only the C# parts are left for
/// Roslyn. Removed lines become empty lines so that Roslyn's line numbers still match the cell.
/// </summary>
internal sealed partial class CellDirectives
{
    private CellDirectives()
    {
    }

    /// <summary>The C# code to submit, with as many lines as the cell.</summary>
    public string Code { get; private set; } = "";

    /// <summary>Whether any line of the cell is C# (or a C# directive).</summary>
    public bool HasCSharp { get; private set; }

    /// <summary>True when the cell belongs to another kernel altogether (F#, PowerShell, ...): the runner skips it.</summary>
    public bool IsOtherKernel { get; private set; }

    /// <summary>The cell asked for <c>#!time</c>.</summary>
    public bool Time { get; private set; }

    /// <summary><c>#r "nuget: Name, Version"</c> directives, hoisted: they apply before any code of the cell runs.</summary>
    public List<(string Name, string? Version)> Packages { get; } = new();

    /// <summary><c>#r "path"</c> directives, which stay in the code for Roslyn (they must precede code there too).</summary>
    public List<string> FileReferences { get; } = new();

    /// <summary>Things the runner left out, for the run's notes.</summary>
    public List<string> Notes { get; } = new();

    [GeneratedRegex("""^\s*#r\s+"\s*nuget\s*:\s*(?<name>[^,"\s]+)\s*(,\s*(?<version>[^"]*?))?\s*"\s*(//.*)?$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#i\s+".*"\s*(//.*)?$""")]
    private static partial Regex SourceDirective();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*(//.*)?$""")]
    private static partial Regex FileReference();

    public static CellDirectives Parse(string source, string cellKernel)
    {
        var result = new CellDirectives();
        var kernel = KernelNames.Normalize(cellKernel);
        var code = new StringBuilder();
        var otherKernelLines = new HashSet<string>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            var kept = "";
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var word = trimmed[2..].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                if (KernelNames.IsKernelName(word))
                {
                    kernel = KernelNames.Normalize(word);
                }
                else if (kernel == KernelNames.CSharp)
                {
                    if (word == "time")
                    {
                        result.Time = true;
                    }
                    else
                    {
                        result.Notes.Add($"magic command #!{word} ignored");
                    }
                }
            }
            else if (kernel != KernelNames.CSharp)
            {
                if (trimmed.Length > 0)
                {
                    otherKernelLines.Add(kernel);
                }
            }
            else if (NuGetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Success ? nuget.Groups["version"].Value.Trim() : null;
                result.Packages.Add((nuget.Groups["name"].Value, string.IsNullOrEmpty(version) ? null : version));
                result.HasCSharp = true;
            }
            else if (SourceDirective().IsMatch(line))
            {
                // Package sources are for restores, which this runner does not do.
                result.HasCSharp = true;
            }
            else
            {
                if (FileReference().Match(line) is { Success: true } file)
                {
                    result.FileReferences.Add(file.Groups["path"].Value);
                }
                kept = line;
                if (trimmed.Length > 0)
                {
                    result.HasCSharp = true;
                }
            }
            if (i > 0)
            {
                code.Append('\n');
            }
            code.Append(kept);
        }
        result.Code = code.ToString();
        result.IsOtherKernel = !result.HasCSharp && (KernelNames.Normalize(cellKernel) != KernelNames.CSharp || otherKernelLines.Count > 0);
        if (result.HasCSharp && otherKernelLines.Count > 0)
        {
            result.Notes.Add($"lines for the {string.Join(", ", otherKernelLines)} kernel skipped");
        }
        return result;
    }
}
