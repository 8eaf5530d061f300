namespace ArchGan.Data;

/// <summary>A candidate image file found under a folder, with what the cache fingerprint needs.</summary>
/// <param name="FullPath">Absolute path (through any symbolic links as found, not resolved).</param>
/// <param name="Name">Path relative to the folder, '/'-separated: the image's name in the set.</param>
/// <param name="Length">Size in bytes (-1 if it could not be read, e.g. a dangling link).</param>
/// <param name="LastWriteUtcTicks">Last write time, UTC ticks (0 if unknown).</param>
internal sealed record SourceFile(string FullPath, string Name, long Length, long LastWriteUtcTicks);
