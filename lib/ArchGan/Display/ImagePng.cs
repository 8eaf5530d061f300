using ArchGan.Data;
using ArchGan.IO;
using SkiaSharp;

namespace ArchGan.Display;

/// <summary>Turns images of an <see cref="ImageSet"/> into bitmaps and PNG files.</summary>
public static class ImagePng
{
    /// <summary>Image <paramref name="index"/> as an opaque RGBA bitmap, scaled up <paramref name="scale"/> times (nearest, so pixels stay visible).</summary>
    public static SKBitmap ToBitmap(ImageSet set, int index, int scale = 1)
    {
        var bitmap = new SKBitmap(new SKImageInfo(set.Size, set.Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        CopyInto(set, index, bitmap, 0, 0);
        if (scale <= 1) return bitmap;
        using (bitmap)
        {
            var info = new SKImageInfo(set.Size * scale, set.Size * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
            var scaled = new SKBitmap(info);
            bitmap.ScalePixels(scaled, new SKSamplingOptions(SKFilterMode.Nearest));
            return scaled;
        }
    }

    /// <summary>Copies image <paramref name="index"/> (planar RGB) into <paramref name="target"/> at (x, y).</summary>
    internal static void CopyInto(ImageSet set, int index, SKBitmap target, int x, int y)
    {
        var image = set.Image(index);
        int plane = set.Size * set.Size, width = target.Width;
        var pixels = target.GetPixelSpan();
        for (int row = 0; row < set.Size; row++)
            for (int col = 0; col < set.Size; col++)
            {
                int source = row * set.Size + col, dest = ((y + row) * width + x + col) * 4;
                pixels[dest] = image[source];
                pixels[dest + 1] = image[plane + source];
                pixels[dest + 2] = image[2 * plane + source];
                pixels[dest + 3] = 255;
            }
    }

    /// <summary>A bitmap encoded as PNG bytes.</summary>
    public static byte[] Encode(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes every image as <c>{prefix}{index:D4}.png</c> in <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(ImageSet set, string directory, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var paths = new string[set.Count];
        try
        {
            Parallel.For(0, set.Count, i =>
            {
                using var bitmap = ToBitmap(set, i);
                paths[i] = Path.Combine(directory, $"{prefix}{i:D4}.png");
                AtomicFile.WriteAllBytes(paths[i], Encode(bitmap));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // One file's failure, as a single write would throw it: on a full disk every file fails alike, and
            // the caller should see "could not write this file" rather than a list of the same failure.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return paths;
    }
}
