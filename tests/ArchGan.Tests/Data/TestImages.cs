using SkiaSharp;

namespace ArchGan.Tests.Data;

/// <summary>Test images made in code: drawn and encoded with SkiaSharp, plus helpers to read pixels of a loaded set.</summary>
internal static class TestImages
{
    public static SKBitmap Solid(int width, int height, SKColor color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(color);
        return bitmap;
    }

    /// <summary>Vertical bands of the given colours, equal widths, left to right.</summary>
    public static SKBitmap Bands(int width, int height, params SKColor[] colors)
    {
        var bitmap = Solid(width, height, SKColors.Black);
        for (int x = 0; x < width; x++)
            for (int y = 0; y < height; y++)
                bitmap.SetPixel(x, y, colors[x * colors.Length / width]);
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality);
        Assert.NotNull(data);
        return data.ToArray();
    }

    public static byte[] Jpeg(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Jpeg);
    public static byte[] Png(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Png);

    public static byte[] SolidJpeg(int width, int height, SKColor color)
    {
        using var b = Solid(width, height, color);
        return Jpeg(b);
    }

    public static byte[] SolidPng(int width, int height, SKColor color)
    {
        using var b = Solid(width, height, color);
        return Png(b);
    }

    /// <summary>Pixel (x, y) of image <paramref name="index"/> of a planar set.</summary>
    public static (byte R, byte G, byte B) Pixel(ArchGan.Data.ImageSet set, int index, int x, int y)
    {
        var img = set.Image(index);
        int plane = set.Size * set.Size, i = y * set.Size + x;
        return (img[i], img[plane + i], img[2 * plane + i]);
    }

    public static void AssertColor((byte R, byte G, byte B) actual, int r, int g, int b, int tolerance = 12, string? where = null)
    {
        bool ok = Math.Abs(actual.R - r) <= tolerance && Math.Abs(actual.G - g) <= tolerance && Math.Abs(actual.B - b) <= tolerance;
        Assert.True(ok, $"{where}: expected about ({r}, {g}, {b}) ±{tolerance}, got ({actual.R}, {actual.G}, {actual.B})");
    }

    /// <summary>
    /// Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI marker, as cameras do.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG");
        var tiff = new List<byte>();
        tiff.AddRange("MM"u8.ToArray());                 // big-endian TIFF
        tiff.AddRange([0x00, 0x2A, 0, 0, 0, 8]);          // magic 42, first IFD at offset 8
        tiff.AddRange([0, 1]);                            // one entry
        tiff.AddRange([0x01, 0x12, 0, 3, 0, 0, 0, 1]);    // tag 0x0112 Orientation, type SHORT, count 1
        tiff.AddRange([(byte)(orientation >> 8), (byte)orientation, 0, 0]);
        tiff.AddRange([0, 0, 0, 0]);                      // no next IFD
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        int length = payload.Length + 2;
        var segment = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }
}
