namespace ArchGan.Data;

/// <summary>A file with an image extension that could not be loaded, and why.</summary>
/// <param name="Name">Path relative to the loaded folder, with '/' separators.</param>
/// <param name="Reason">A short human-readable reason, e.g. "truncated image data".</param>
public sealed record SkippedFile(string Name, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Reason}";
}
