using System.Diagnostics;
using ArchGan.IO;
using SkiaSharp;

namespace ArchGan.Data;

/// <summary>
/// Loads a user's folder of images as an <see cref="ImageSet"/>: the article's step 1 ("resize every image in ./data
/// to 128x128 into ./resized_data"), done in memory with an on-disk cache and a report of what went wrong.
/// </summary>
/// <remarks>
/// <para>Every file under the folder (recursively, following symbolic links but never twice into the same folder)
/// whose extension is .jpg, .jpeg, .jpe, .jfif, .png, .webp, .bmp or .gif is decoded; names starting with '.' and
/// other extensions are ignored and only counted. Files that fail to decode are skipped and listed with the reason;
/// nothing throws unless the folder is missing or nothing at all could be used (<see cref="DatasetException"/>).</para>
/// <para>Images are converted to 8-bit RGB: grayscale and palette images are expanded, 16-bit channels reduced,
/// CMYK JPEGs converted by the decoder, embedded colour profiles ignored (values are taken as sRGB), and transparent
/// pixels composited on white (listed in <see cref="LoadReport.Flattened"/>). The EXIF orientation is applied so
/// photos stand upright. Animated GIFs contribute their first frame.</para>
/// <para>Shrinking uses trilinear (mipmapped) filtering, after decoding JPEGs at the smallest 1/8 step that keeps
/// enough pixels; enlarging uses Mitchell cubic. Sources that would exceed 100 megapixels even after reduced-scale decoding are
/// skipped as too large rather than risking the process's memory.</para>
/// </remarks>
public static class ImageFolder
{
    /// <summary>The colour of the bars added by <see cref="ResizeMode.Pad"/>: mid grey (128, 128, 128), close to 0 once pixels are scaled to [-1, 1].</summary>
    public static readonly SKColor PadColor = new(128, 128, 128);

    /// <summary>
    /// Loads every usable image under <paramref name="folder"/>, resized to <paramref name="size"/> x
    /// <paramref name="size"/>, in ordinal order of relative path.
    /// </summary>
    /// <param name="folder">Folder to read, recursively. It is only read, never written.</param>
    /// <param name="size">Output width and height in pixels.</param>
    /// <param name="mode">How to make non-square images square.</param>
    /// <param name="cacheDirectory">Where to keep the cache file; null for <see cref="ImageCache.DefaultDirectory"/>.</param>
    /// <param name="useCache">False to neither read nor write a cache file.</param>
    /// <param name="maxDegreeOfParallelism">Decoding threads; null for one per processor.</param>
    /// <param name="cancellationToken">Stops decoding between files.</param>
    /// <exception cref="DatasetException">The folder does not exist, or contains no usable image.</exception>
    public static LoadResult Load(
        string folder,
        int size,
        ResizeMode mode = ResizeMode.CenterCrop,
        string? cacheDirectory = null,
        bool useCache = true,
        int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "The image size must be positive.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown resize mode.");

        var clock = Stopwatch.StartNew();
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(full))
            throw new DatasetException(File.Exists(full)
                ? $"Image folder '{folder}' is a file, not a folder."
                : $"Image folder '{folder}' does not exist.", folder);

        FolderScan scan;
        try
        {
            scan = FolderScanner.Scan(full);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DatasetException($"Image folder '{folder}' cannot be read: {e.Message}", folder, e);
        }

        // All images live in one byte array (ImageSet); refuse here, before minutes of decoding, a set that cannot.
        long bytes = 3L * size * size * scan.Files.Count;
        if (bytes > Array.MaxLength)
            throw new DatasetException($"Image folder '{folder}' has {scan.Files.Count} images: at {size} x {size} they take {bytes / 1e9:F1} GB, " +
                $"more than one array holds ({Array.MaxLength / 1e9:F1} GB). Use a smaller size, or a folder with fewer images.", folder);

        var fingerprint = ImageCache.Fingerprint(scan.Files);
        string? cachePath = useCache ? ImageCache.PathFor(full, size, mode, cacheDirectory) : null;
        string? cacheNote = null;
        if (cachePath != null && scan.Files.Count > 0)
        {
            var cached = ImageCache.TryRead(cachePath, full, size, mode, fingerprint, out cacheNote);
            if (cached != null)
            {
                return new LoadResult(cached.Images, new LoadReport(full, size, mode, cached.Images.Count,
                    cached.Upscaled, cached.Flattened, [.. scan.Skipped, .. cached.Skipped], scan.Ignored,
                    Decoded: 0, FromCache: true, cachePath, null, clock.Elapsed));
            }
        }

        var entry = DecodeAll(full, scan.Files, size, mode, maxDegreeOfParallelism, cancellationToken);
        var allSkipped = scan.Skipped.Concat(entry.Skipped).ToArray();
        if (entry.Images.Count == 0) throw NothingUsable(folder, scan, allSkipped);

        string? cacheWriteError = null;
        if (cachePath != null)
        {
            try
            {
                ImageCache.Write(cachePath, full, size, mode, fingerprint, entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The images are loaded; a cache we cannot write only costs time next run, so report it and go on.
                // Where the cache is the point (archgan prepare), the caller makes it an error.
                var reason = e is FileWriteException failed ? failed.Reason : FileWriteException.ReasonOf(e);
                cacheNote = (cacheNote == null ? "" : cacheNote + "; ") + $"could not write cache ({reason}); the images are decoded again next time";
                cacheWriteError = e is FileWriteException ? e.Message : $"Could not write {cachePath}: {reason}.";
            }
        }

        return new LoadResult(entry.Images, new LoadReport(full, size, mode, entry.Images.Count,
            entry.Upscaled, entry.Flattened, allSkipped, scan.Ignored,
            Decoded: scan.Files.Count, FromCache: false, cachePath, cacheNote, clock.Elapsed, cacheWriteError));
    }

    private static CacheEntry DecodeAll(string root, IReadOnlyList<SourceFile> files, int size, ResizeMode mode,
        int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var decoded = new DecodedImage?[files.Count];
        var reasons = new string?[files.Count];
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.ForEach(Enumerable.Range(0, files.Count), options, i =>
        {
            // Every failure of one file becomes a reason for that file, so one bad image never stops the load.
            try
            {
                decoded[i] = ImageDecoder.DecodeFile(files[i].FullPath, size, mode, PadColor);
            }
            catch (UnusableImageException e)
            {
                reasons[i] = e.Message;
            }
            catch (UnauthorizedAccessException)
            {
                reasons[i] = "cannot read: permission denied";
            }
            catch (FileNotFoundException)
            {
                reasons[i] = "cannot read: file not found (dangling link, or deleted while loading)";
            }
            catch (IOException e)
            {
                reasons[i] = "cannot read: " + e.Message;
            }
            catch (OutOfMemoryException)
            {
                reasons[i] = "too large to decode (out of memory)";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                reasons[i] = $"unexpected decoder error: {e.GetType().Name}: {e.Message}";
            }
        });

        int count = decoded.Count(d => d != null), imageBytes = 3 * size * size; // fits: Load checked the total
        var pixels = GC.AllocateUninitializedArray<byte>(count * imageBytes);
        var names = new List<string>(count);
        var upscaled = new List<string>();
        var flattened = new List<string>();
        var skipped = new List<SkippedFile>();
        for (int i = 0; i < files.Count; i++)
        {
            var d = decoded[i];
            if (d == null)
            {
                skipped.Add(new SkippedFile(files[i].Name, reasons[i] ?? "unknown error"));
                continue;
            }
            Buffer.BlockCopy(d.Planar, 0, pixels, names.Count * imageBytes, imageBytes);
            if (d.Upscaled) upscaled.Add(files[i].Name);
            if (d.Flattened) flattened.Add(files[i].Name);
            names.Add(files[i].Name);
        }
        return new CacheEntry(new ImageSet(pixels, count, size, names), upscaled, flattened, skipped);
    }

    private static DatasetException NothingUsable(string folder, FolderScan scan, IReadOnlyList<SkippedFile> skipped)
    {
        var extensions = string.Join(", ", FolderScanner.ImageExtensions.Order(StringComparer.Ordinal));
        if (scan.Files.Count == 0 && skipped.Count == 0)
            return new DatasetException($"No images in '{folder}': no files with an image extension ({extensions}) were found" +
                                        (scan.Ignored > 0 ? $"; {scan.Ignored} hidden or non-image entries were ignored." : "."), folder);
        var reasons = skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} x {g.Key} (e.g. {g.First().Name})");
        return new DatasetException($"No usable images in '{folder}': all {skipped.Count} candidate file(s) were skipped: " +
                                    string.Join("; ", reasons) + ".", folder);
    }
}
