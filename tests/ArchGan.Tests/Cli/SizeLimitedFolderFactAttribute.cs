namespace ArchGan.Tests.Cli;

/// <summary>
/// A [Fact] that needs <see cref="SizeLimitedFolder"/>: it is skipped, not failed, where this machine cannot mount
/// a size-limited tmpfs in a user and mount namespace of its own (not Linux, no <c>unshare</c>, or user namespaces
/// switched off), since a disk that really fills is what the test is about.
/// </summary>
public sealed class SizeLimitedFolderFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public SizeLimitedFolderFactAttribute()
    {
        if (Unavailable.Value is string reason)
            Skip = $"No size-limited folder on this machine: {reason}";
    }

    // Null when a 64 KiB tmpfs mounts; else why not.
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "tmpfs in a mount namespace (unshare) is Linux only.";
        var folder = Path.Combine(Path.GetTempPath(), $"archgan-tmpfs-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var (exitCode, output) = SizeLimitedFolder.Shell(["sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$1\"", "sh", folder], TimeSpan.FromSeconds(30));
            return exitCode == 0 ? null : $"`unshare --user --map-root-user --mount` with a tmpfs mount exited {exitCode}: {output.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"unshare could not be started ({e.Message}).";
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
