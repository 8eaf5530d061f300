namespace ArchGan.Tests.Data;

/// <summary>A fresh folder under the system temp directory, deleted (with any links, not their targets) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string label = "archgan-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="bytes"/> to a path relative to the folder, creating sub-folders.</summary>
    public string Write(string relative, byte[] bytes)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose() => Delete(Path);

    /// <summary>Deletes <paramref name="path"/> and everything in it, links but not their targets; never throws.</summary>
    public static void Delete(string path)
    {
        try
        {
            RestorePermissions(path);
            // Directory.Delete removes links without following them.
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Gives back permissions a test removed, so cleanup works for non-root users too. Walks by hand without
    /// entering linked folders: the recursive enumerator would follow a link loop until the path is too long.
    /// </summary>
    private static void RestorePermissions(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            if (entry.LinkTarget != null) continue;
            File.SetUnixFileMode(entry.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (entry is DirectoryInfo) RestorePermissions(entry.FullName);
        }
    }
}
