using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ArchGan.Tests.Data;

/// <summary>
/// Writes minimal PNG files by hand, for variants SkiaSharp will not encode: 16-bit channels, grayscale, palette.
/// Rows use filter 0 (none); the image data is one zlib stream in one IDAT chunk.
/// </summary>
internal static class PngWriter
{
    public const byte Gray = 0, Rgb = 2, Palette = 3, GrayAlpha = 4, Rgba = 6;

    /// <summary>
    /// <paramref name="sample"/>(x, y, channel) gives each sample (0..255 for 8-bit, 0..65535 for 16-bit, the index for palette).
    /// </summary>
    public static byte[] Write(int width, int height, byte colorType, int bitDepth, Func<int, int, int, int> sample,
        byte[]? palette = null, bool fastest = false)
    {
        int channels = colorType switch { Gray => 1, Rgb => 3, Palette => 1, GrayAlpha => 2, _ => 4 };
        int bytesPerSample = bitDepth / 8;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, fastest ? CompressionLevel.Fastest : CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + width * channels * bytesPerSample];
            for (int y = 0; y < height; y++)
            {
                int p = 1;
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++)
                    {
                        int v = sample(x, y, c);
                        if (bytesPerSample == 2) row[p++] = (byte)(v >> 8);
                        row[p++] = (byte)v;
                    }
                z.Write(row);
            }
        }

        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = colorType;
        Chunk(png, "IHDR", ihdr);
        if (palette != null) Chunk(png, "PLTE", palette);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> x <paramref name="height"/> RGB but whose image data is empty.</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = Rgb;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", []);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeBytes.Concat(data)));
        s.Write(word);
    }

    private static uint Crc32(IEnumerable<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
