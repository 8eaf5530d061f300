namespace ArchGan.Data;

/// <summary>What a cache file holds besides its header: the decoded set and the per-file outcomes of decoding it.</summary>
internal sealed record CacheEntry(
    ImageSet Images,
    IReadOnlyList<string> Upscaled,
    IReadOnlyList<string> Flattened,
    IReadOnlyList<SkippedFile> Skipped);
