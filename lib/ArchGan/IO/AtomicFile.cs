namespace ArchGan.IO;

/// <summary>
/// Writes files so that no reader, and no crash, ever leaves half of one under its name: the content goes to
/// a temporary file in the same folder, is flushed to disk, and only then takes the file's name in one rename.
/// Every file this library writes goes through here: checkpoints, image caches, grids, charts, notebooks.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/> in one step.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) =>
        Write(path, stream => stream.Write(bytes));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8) in one step.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Replaces <paramref name="path"/> with what <paramref name="write"/> puts into a stream, in one step.
    /// <paramref name="beforeReplace"/>, if given, runs once the new content is whole on disk and before it
    /// takes the name (a checkpoint moves the one it replaces aside there). The temporary file is deleted if
    /// anything fails; the file at <paramref name="path"/> is then as it was.
    /// </summary>
    /// <exception cref="FileWriteException">
    /// The system refused a step (a full disk, a read-only folder, a folder where the file should be); it names
    /// <paramref name="path"/>, whichever step failed.
    /// </exception>
    public static void Write(string path, Action<Stream> write, Action? beforeReplace = null)
    {
        try
        {
            WriteThrough(Path.GetFullPath(path), write, beforeReplace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileWriteException)
        {
            throw new FileWriteException(path, e);
        }
    }

    private static void WriteThrough(string full, Action<Stream> write, Action? beforeReplace)
    {
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // Per process and thread, so that two writers of one file never share a temporary file.
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // On disk before the rename: a crash must not leave a complete-looking name over partial data.
                stream.Flush(flushToDisk: true);
            }
            beforeReplace?.Invoke();
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    // The write's own failure is what the caller needs to hear; one in cleaning up after it must not replace it.
    private static void DeleteQuietly(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
