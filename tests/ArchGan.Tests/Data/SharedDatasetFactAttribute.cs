namespace ArchGan.Tests.Data;

/// <summary>
/// A [Fact] that is skipped, not failed, when the shared real-image folder <c>../shared/datasets/&lt;name&gt;</c>
/// (relative to the folder holding ArchGan.sln) is not there, as on machines without the datasets.
/// </summary>
public sealed class SharedDatasetFactAttribute : FactAttribute
{
    public SharedDatasetFactAttribute(string name)
    {
        if (SharedDatasets.Find(name) == null)
            Skip = $"Shared dataset '{name}' not found at ../shared/datasets/{name} beside the repository.";
    }
}

/// <summary>Locates the shared datasets relative to the repository root.</summary>
public static class SharedDatasets
{
    /// <summary>The repository root: the first folder above the test binaries that holds ArchGan.sln.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArchGan.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// Full path of the dataset folder, or null when absent. Looks in <c>../shared/datasets</c> beside the repository
    /// root (the main checkout and CI), then in <c>$ARCHGAN_DATASETS</c>, then beside each folder further up, so that a
    /// git worktree such as <c>/work/wt/loader</c> still finds <c>/work/shared/datasets</c>.
    /// </summary>
    public static string? Find(string name)
    {
        var root = RepositoryRoot();
        var candidates = new List<string>();
        if (root != null) candidates.Add(Path.Combine(root, "..", "shared", "datasets", name));
        var env = Environment.GetEnvironmentVariable("ARCHGAN_DATASETS");
        if (!string.IsNullOrWhiteSpace(env)) candidates.Add(Path.Combine(env, name));
        for (var dir = root == null ? null : Directory.GetParent(root)?.Parent; dir != null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "datasets", name));
        return candidates.Select(Path.GetFullPath).FirstOrDefault(Directory.Exists);
    }
}
