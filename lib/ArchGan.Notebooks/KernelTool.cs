using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// Where the dotnet-interactive tool comes from: the local tool manifest (<c>.config/dotnet-tools.json</c>) of the
/// repository, which pins the version the notebooks are tested with; <c>dotnet tool restore</c> installs it.
/// </summary>
public sealed record KernelTool(string ManifestRoot, string Version)
{
    /// <summary>The manifest's name of the tool.</summary>
    public const string PackageId = "microsoft.dotnet-interactive";

    /// <summary>The command the tool installs.</summary>
    public const string CommandName = "dotnet-interactive";

    /// <summary>
    /// The nearest manifest that pins the tool, looking up from <paramref name="startFolder"/>, then from the
    /// current directory, then from this program's own folder (a notebook copied to a temporary folder is still
    /// run with the repository's kernel).
    /// </summary>
    public static KernelTool Find(string startFolder)
    {
        foreach (var start in new[] { startFolder, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
                if (File.Exists(manifest) && VersionIn(manifest) is { } version)
                    return new KernelTool(dir.FullName, version);
            }
        }
        throw new KernelException(
            $"No .config/dotnet-tools.json that pins {PackageId} above {Path.GetFullPath(startFolder)}, the current directory or {AppContext.BaseDirectory}. " +
            "Run the notebooks from a clone of the ArchGan repository, after `dotnet tool restore`.");
    }

    private static readonly HashSet<string> Restored = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <c>dotnet tool restore</c> in the manifest's folder, once per process: a fresh clone, or an empty NuGet
    /// cache, has the manifest but not the tool, and the restore takes a second when the tool is already there.
    /// </summary>
    public void EnsureRestored()
    {
        lock (Restored)
        {
            if (Restored.Contains(ManifestRoot)) return;
            using var gate = WaitForRestoreLock();
            var start = new System.Diagnostics.ProcessStartInfo("dotnet", "tool restore")
            {
                WorkingDirectory = ManifestRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = System.Diagnostics.Process.Start(start) ?? throw new KernelException("Could not start `dotnet tool restore`.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new KernelException($"`dotnet tool restore` in {ManifestRoot} failed (exit code {process.ExitCode}): {(errors + output.Result).Trim()}");
            Restored.Add(ManifestRoot);
        }
    }

    /// <summary>
    /// Two restores into an empty NuGet cache at once race: the one that meets the other's half-extracted package
    /// fails, or reports success before the tool is recorded, and its <c>dotnet tool run</c> then asks for a restore.
    /// <c>dotnet test</c> runs the test projects side by side, and each starts kernels, so restores take turns
    /// across processes, holding a file that the system locks for one of them at a time.
    /// </summary>
    private static FileStream WaitForRestoreLock()
    {
        var path = Path.Combine(Path.GetTempPath(), "archgan-dotnet-tool-restore.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
            catch (IOException e)
            {
                throw new KernelException($"Waited 10 minutes for another `dotnet tool restore` to release {path}: {e.Message}");
            }
        }
    }

    /// <summary>"microsoft.dotnet-interactive 1.0.712001 from /path/.config/dotnet-tools.json"</summary>
    public string Describe() => $"{PackageId} {Version} from {Path.Combine(ManifestRoot, ".config", "dotnet-tools.json")}";

    private static string? VersionIn(string manifest)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[PackageId]?["version"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
