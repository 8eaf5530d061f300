namespace ArchGan.Data;

/// <summary>Result of walking a folder: candidate images sorted by name, plus what was passed over.</summary>
/// <param name="Files">Files with an image extension, ordinal order of <see cref="SourceFile.Name"/>.</param>
/// <param name="Ignored">Hidden entries, files without an image extension, link loops and repeated folders.</param>
/// <param name="Skipped">Sub-folders that could not be listed, with the reason.</param>
internal sealed record FolderScan(IReadOnlyList<SourceFile> Files, int Ignored, IReadOnlyList<SkippedFile> Skipped);
