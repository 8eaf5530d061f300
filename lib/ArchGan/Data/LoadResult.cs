namespace ArchGan.Data;

/// <summary>What <see cref="ImageFolder.Load"/> returns: the images and an account of how they were obtained.</summary>
/// <param name="Images">The loaded images, in ordinal order of their relative paths.</param>
/// <param name="Report">Counts, skipped files with reasons, cache use and timing.</param>
public sealed record LoadResult(ImageSet Images, LoadReport Report);
