using System.Security.Cryptography;
using System.Text;

using ArchGan.IO;

namespace ArchGan.Data;

/// <summary>
/// The on-disk cache of decoded, resized folders: the article's <c>resized_data</c> folder, as one binary file per
/// (folder, size, mode). A second load of an unchanged folder reads this file instead of decoding anything.
/// </summary>
/// <remarks>
/// <para>Where: the directory passed to <see cref="ImageFolder.Load"/>, or <see cref="DefaultDirectory"/>. Never next
/// to the images, since the image folder may be read-only or shared.</para>
/// <para>Format (little-endian; strings are length-prefixed UTF-8 as written by <see cref="BinaryWriter"/>):
/// magic <c>ARCHGANC</c>; int32 format version; string folder (full path); int32 size; int32 mode; 32-byte
/// SHA-256 fingerprint of the sources (relative path, length and last-write time of every file with an image
/// extension, in order); int32 image count; the image names; the upscaled, flattened and skipped lists (each an
/// int32 count then strings); int64 pixel byte count; the pixels (N x 3 x S x S); and a SHA-256 of every byte before
/// it, so that damage anywhere (a name, a list, the header, the pixels) is found and the file rebuilt, not trusted.</para>
/// <para>Written to a temporary file in the same directory and then renamed over the old one, so a reader sees
/// either the old file or the complete new one. A file that is truncated, corrupt, of another version or about other
/// sources is ignored and rebuilt.</para>
/// </remarks>
public static class ImageCache
{
    /// <summary>Current format version; files with another version are rebuilt.</summary>
    // 2: the closing checksum covers the whole file, not only the pixels.
    public const int FormatVersion = 2;

    private static ReadOnlySpan<byte> Magic => "ARCHGANC"u8;

    /// <summary>
    /// The cache directory used when the caller gives none: <c>$ARCHGAN_CACHE</c> if set, else
    /// <c>$XDG_CACHE_HOME/archgan</c>, else <c>~/.cache/archgan</c> (on Windows <c>%LOCALAPPDATA%\ArchGan\cache</c>),
    /// else <c>archgan-cache</c> under the system temporary folder.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable("ARCHGAN_CACHE");
            if (!string.IsNullOrWhiteSpace(explicitDir)) return explicitDir;
            if (OperatingSystem.IsWindows())
            {
                var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                if (!string.IsNullOrEmpty(local)) return Path.Combine(local, "ArchGan", "cache");
            }
            else
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "archgan");
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (!string.IsNullOrEmpty(home)) return Path.Combine(home, ".cache", "archgan");
            }
            return Path.Combine(Path.GetTempPath(), "archgan-cache");
        }
    }

    /// <summary>
    /// The cache file for <paramref name="folder"/> at <paramref name="size"/> and <paramref name="mode"/>: named after
    /// the folder's last component plus a hash of its full path, so it is unique and still recognisable.
    /// </summary>
    public static string PathFor(string folder, int size, ResizeMode mode, string? cacheDirectory = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)), 0, 8).ToLowerInvariant();
        var label = new string(Path.GetFileName(full).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        if (label.Length == 0) label = "root";
        if (label.Length > 40) label = label[..40];
        return Path.Combine(cacheDirectory ?? DefaultDirectory, $"{label}-{hash}-{size}-{mode.ToString().ToLowerInvariant()}.agc");
    }

    /// <summary>Hash of every candidate's relative path, length and last-write time, in order.</summary>
    internal static byte[] Fingerprint(IReadOnlyList<SourceFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        foreach (var f in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(f.Name));
            // A separator that cannot occur in a name, so ("ab", 1) and ("a", "b1") differ.
            hash.AppendData([0]);
            BitConverter.TryWriteBytes(number, f.Length);
            hash.AppendData(number);
            BitConverter.TryWriteBytes(number, f.LastWriteUtcTicks);
            hash.AppendData(number);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Reads the cache file if it exists and matches; otherwise returns null and says why in
    /// <paramref name="note"/> (null when there simply was no file).
    /// </summary>
    internal static CacheEntry? TryRead(string path, string folder, int size, ResizeMode mode, byte[] fingerprint, out string? note)
    {
        note = null;
        if (!File.Exists(path)) return null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // Everything is read through the hash; nothing read is returned until the closing checksum matches.
            using var stream = new HashingStream(file);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            Span<byte> magic = stackalloc byte[8];
            stream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic)) return Reject(out note, "not an ArchGan cache file");
            int version = reader.ReadInt32();
            if (version != FormatVersion) return Reject(out note, $"cache format version {version}, expected {FormatVersion}");
            if (reader.ReadString() != folder || reader.ReadInt32() != size || reader.ReadInt32() != (int)mode)
                return Reject(out note, "cache file belongs to another folder, size or mode");
            if (!reader.ReadBytes(32).AsSpan().SequenceEqual(fingerprint))
                return Reject(out note, "images were added, removed or changed since the cache was written");

            int count = reader.ReadInt32();
            long imageBytes = 3L * size * size;
            // Checked against the real file length before any allocation, so a corrupt count cannot ask for gigabytes.
            if (count <= 0 || count * imageBytes > stream.Length) return Reject(out note, "cache file is corrupt (bad image count)");
            var names = ReadStrings(reader, count);
            var upscaled = ReadStrings(reader, reader.ReadInt32(), count);
            var flattened = ReadStrings(reader, reader.ReadInt32(), count);
            int skippedCount = reader.ReadInt32();
            if (skippedCount < 0 || skippedCount > stream.Length) return Reject(out note, "cache file is corrupt (bad list length)");
            var skipped = new SkippedFile[skippedCount];
            for (int i = 0; i < skippedCount; i++) skipped[i] = new SkippedFile(reader.ReadString(), reader.ReadString());

            long pixelLength = reader.ReadInt64();
            if (pixelLength != count * imageBytes) return Reject(out note, "cache file is corrupt (bad pixel length)");
            if (stream.Length - stream.Position != pixelLength + 32) return Reject(out note, "cache file is truncated or has extra bytes");
            var pixels = GC.AllocateUninitializedArray<byte>(checked((int)pixelLength));
            stream.ReadExactly(pixels);
            var actual = stream.Hash();
            Span<byte> expected = stackalloc byte[32];
            file.ReadExactly(expected);
            if (!actual.AsSpan().SequenceEqual(expected)) return Reject(out note, "cache file is damaged (checksum mismatch)");

            return new CacheEntry(new ImageSet(pixels, count, size, names), upscaled, flattened, skipped);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or UnauthorizedAccessException
                                      or FormatException or ArgumentException or OverflowException or DecoderFallbackException)
        {
            return Reject(out note, e is EndOfStreamException ? "cache file is truncated" : $"cache file unreadable ({e.Message})");
        }
    }

    private static CacheEntry? Reject(out string? note, string reason)
    {
        note = reason + "; rebuilt";
        return null;
    }

    private static string[] ReadStrings(BinaryReader reader, int count, int max = int.MaxValue)
    {
        if (count < 0 || count > max) throw new FormatException("bad list length");
        var result = new string[count];
        for (int i = 0; i < count; i++) result[i] = reader.ReadString();
        return result;
    }

    /// <summary>Writes the cache file atomically (temporary file, then rename). Throws on I/O failure; callers decide whether that matters.</summary>
    internal static void Write(string path, string folder, int size, ResizeMode mode, byte[] fingerprint, CacheEntry entry) =>
        AtomicFile.Write(path, file =>
        {
            using var stream = new HashingStream(file);
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            var images = entry.Images;
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(folder);
            writer.Write(size);
            writer.Write((int)mode);
            writer.Write(fingerprint);
            writer.Write(images.Count);
            foreach (var n in images.Names) writer.Write(n);
            WriteStrings(writer, entry.Upscaled);
            WriteStrings(writer, entry.Flattened);
            writer.Write(entry.Skipped.Count);
            foreach (var s in entry.Skipped)
            {
                writer.Write(s.Name);
                writer.Write(s.Reason);
            }
            writer.Write(images.Pixels.LongLength);
            writer.Write(images.Pixels);
            writer.Flush();
            file.Write(stream.Hash());
        });

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var v in values) writer.Write(v);
    }
}
