using System.Runtime.InteropServices;

namespace ArchGan.Data;

/// <summary>Finds candidate image files under a folder, recursively, without looping through symbolic links.</summary>
internal static class FolderScanner
{
    /// <summary>Extensions treated as images (lower case, with dot). Anything else is ignored, not reported.</summary>
    internal static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".bmp", ".gif",
    };

    // Far deeper than any real dataset; only a safety net should link detection ever miss a cycle.
    private const int MaxDepth = 64;

    internal static FolderScan Scan(string root)
    {
        var files = new List<SourceFile>();
        var skipped = new List<SkippedFile>();
        int ignored = 0;
        // Real (link-resolved) paths of folders already walked: a link back up the tree, or two links to the
        // same folder, is walked once.
        var visited = new HashSet<string>(StringComparer.Ordinal) { RealPath(root) ?? root };
        Walk(root, root, 0, files, skipped, visited, ref ignored);
        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new FolderScan(files, ignored, skipped);
    }

    private static void Walk(string root, string dir, int depth, List<SourceFile> files, List<SkippedFile> skipped,
        HashSet<string> visited, ref int ignored)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            // Hidden entries are counted as ignored below rather than silently dropped by the enumerator.
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };

        List<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", options).ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            if (dir == root) throw;
            skipped.Add(new SkippedFile(Relative(root, dir) + "/", e is UnauthorizedAccessException
                ? "folder cannot be listed: permission denied"
                : "folder cannot be listed: " + e.Message));
            return;
        }

        foreach (var entry in entries)
        {
            if (entry.Name.StartsWith('.') || (entry.Attributes & FileAttributes.Hidden) != 0 && OperatingSystem.IsWindows())
            {
                ignored++;
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                var real = RealPath(sub.FullName);
                if (real == null || depth >= MaxDepth || !visited.Add(real))
                {
                    ignored++;
                    continue;
                }
                Walk(root, sub.FullName, depth + 1, files, skipped, visited, ref ignored);
            }
            else if (entry is FileInfo file)
            {
                if (!ImageExtensions.Contains(Path.GetExtension(file.Name)))
                {
                    ignored++;
                    continue;
                }
                long length = -1, ticks = 0;
                try
                {
                    if (file.Exists)
                    {
                        length = file.Length;
                        ticks = file.LastWriteTimeUtc.Ticks;
                    }
                }
                catch (IOException)
                {
                    // Left as unknown; reading the file will report the real problem.
                }
                files.Add(new SourceFile(file.FullName, Relative(root, file.FullName), length, ticks));
            }
        }
    }

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The canonical path with every link resolved, or null when it cannot be resolved (dangling or looping link).</summary>
    internal static string? RealPath(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                var p = realpath(path, IntPtr.Zero);
                if (p == IntPtr.Zero) return null;
                try { return Marshal.PtrToStringUTF8(p); }
                finally { free(p); }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall through to the managed approximation.
            }
        }
        try
        {
            var info = new DirectoryInfo(path);
            if (info.LinkTarget == null) return info.FullName;
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
}
