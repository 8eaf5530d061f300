namespace ArchGan.Notebooks.Tests;

/// <summary>
/// One real .NET Interactive kernel (the repository's pinned dotnet-interactive tool) for the runner's small
/// tests, started once: a kernel takes seconds to start and to restore a notebook's packages, and these tests
/// need what any kernel does, not a fresh one. Tests that need a fresh kernel (the tutorial notebooks, a kill)
/// start their own.
/// </summary>
public sealed class KernelFixture : IAsyncLifetime
{
    /// <summary>The folder the kernel runs in; test notebooks are written below it.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "archgan-kernel-" + Guid.NewGuid().ToString("N")[..12]);

    public KernelProcess Kernel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Kernel = await KernelProcess.StartAsync(Folder);
    }

    public async Task DisposeAsync()
    {
        await Kernel.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelFixture>
{
    public const string Name = "one kernel";
}
