using System.Globalization;
using System.Text;

namespace ArchGan.Data;

/// <summary>
/// What happened while loading a folder: how many images were loaded, which had to be upscaled or had transparency
/// laid over white, which were skipped and why, whether the cache answered, and how long it took. Made to be printed:
/// see <see cref="Summary"/>.
/// </summary>
/// <param name="Folder">The folder's full path.</param>
/// <param name="Size">Target width and height in pixels.</param>
/// <param name="Mode">How images were made square.</param>
/// <param name="Loaded">Number of images in the resulting set.</param>
/// <param name="Upscaled">Images smaller than the target (in the dimension that <paramref name="Mode"/> scales by), so enlarged and likely blurry.</param>
/// <param name="Flattened">Images with transparency, composited on white.</param>
/// <param name="Skipped">Files with an image extension that could not be used, with the reason.</param>
/// <param name="Ignored">Entries not considered at all: hidden names (starting with '.'), files without an image extension, links that lead nowhere or back into the tree.</param>
/// <param name="Decoded">Files this call tried to decode, successfully or not; 0 when the cache answered.</param>
/// <param name="FromCache">True when the pixels came from the cache file without decoding anything.</param>
/// <param name="CachePath">The cache file used or written; null when caching was off.</param>
/// <param name="CacheNote">Why the cache was not used or not written (e.g. "cache file is truncated; rebuilt"), or null.</param>
/// <param name="Elapsed">Wall-clock time of the whole call.</param>
/// <param name="CacheWriteError">
/// Why the cache file could not be written (a full disk, say), as one sentence naming it; null when it was written,
/// answered, or was off. Loading goes on without it; a command whose purpose is the cache reports it as an error.
/// </param>
public sealed record LoadReport(
    string Folder,
    int Size,
    ResizeMode Mode,
    int Loaded,
    IReadOnlyList<string> Upscaled,
    IReadOnlyList<string> Flattened,
    IReadOnlyList<SkippedFile> Skipped,
    int Ignored,
    int Decoded,
    bool FromCache,
    string? CachePath,
    string? CacheNote,
    TimeSpan Elapsed,
    string? CacheWriteError = null)
{
    /// <summary>Elapsed time in seconds.</summary>
    public double Seconds => Elapsed.TotalSeconds;

    /// <summary>
    /// A few lines for a console: the totals, then each skipped file with its reason, then (up to
    /// <paramref name="maxListed"/> each) the upscaled and flattened files.
    /// </summary>
    public string Summary(int maxListed = 10)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"{Loaded} images loaded from {Folder} at {Size}x{Size} ({Mode})");
        sb.Append(FromCache ? ", from cache" : $", {Decoded} decoded");
        sb.Append(ci, $" in {Seconds:0.00} s").AppendLine();
        sb.Append(ci, $"  upscaled: {Upscaled.Count}, transparency on white: {Flattened.Count}, skipped: {Skipped.Count}, ignored: {Ignored}").AppendLine();
        if (CachePath != null) sb.Append("  cache: ").AppendLine(CachePath);
        if (CacheNote != null) sb.Append("  cache note: ").AppendLine(CacheNote);
        foreach (var s in Skipped) sb.Append("  skipped ").AppendLine(s.ToString());
        AppendList(sb, "upscaled", Upscaled, maxListed);
        AppendList(sb, "on white", Flattened, maxListed);
        return sb.ToString().TrimEnd();
    }

    /// <inheritdoc />
    public override string ToString() => Summary();

    private static void AppendList(StringBuilder sb, string label, IReadOnlyList<string> names, int max)
    {
        foreach (var n in names.Take(max)) sb.Append("  ").Append(label).Append(' ').AppendLine(n);
        if (names.Count > max) sb.Append("  ").Append(label).Append(" ... and ").Append(names.Count - max).AppendLine(" more");
    }
}
