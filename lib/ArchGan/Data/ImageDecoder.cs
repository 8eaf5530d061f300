using System.Runtime.InteropServices;
using SkiaSharp;

namespace ArchGan.Data;

/// <summary>Decodes one encoded image and resizes it to a square; the per-file half of <see cref="ImageFolder"/>.</summary>
internal static class ImageDecoder
{
    /// <summary>
    /// Most pixels we are willing to decode at once (400 MB as RGBA): a 12000 x 8000 PNG fits, a 20000 x 20000 one is
    /// skipped. JPEG and WebP are decoded at reduced scale first, so their limit applies to the reduced size.
    /// (This SkiaSharp build cannot decode PNG row by row, so a PNG is always decoded whole.)
    /// </summary>
    internal const long MaxDecodedPixels = 100_000_000;

    /// <summary>Decodes above this many pixels take a turn at <see cref="HugeDecodeGate"/>.</summary>
    internal const long HugeDecodePixels = 16_000_000;

    // Two huge images decoded side by side would double the peak memory; they are rare, so serialise them.
    private static readonly SemaphoreSlim HugeDecodeGate = new(1, 1);

    internal static DecodedImage DecodeFile(string path, int size, ResizeMode mode, SKColor pad)
    {
        var bytes = File.ReadAllBytes(path);
        return Decode(bytes, size, mode, pad);
    }

    internal static DecodedImage Decode(byte[] bytes, int size, ResizeMode mode, SKColor pad)
    {
        if (bytes.Length == 0) throw new UnusableImageException("empty file (0 bytes)");
        using var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec == null)
            throw new UnusableImageException(createResult == SKCodecResult.IncompleteInput
                ? "truncated: the file ends inside the image header"
                : $"not a decodable image ({createResult})");

        int w0 = codec.Info.Width, h0 = codec.Info.Height;
        if (w0 <= 0 || h0 <= 0) throw new UnusableImageException($"invalid dimensions {w0}x{h0}");
        bool upscaled = !LargeEnough(w0, h0, size, mode);

        var dims = DecodeSize(codec, w0, h0, size, mode);
        long pixels = (long)dims.Width * dims.Height;
        if (pixels > MaxDecodedPixels)
            throw new UnusableImageException($"too large to decode ({w0}x{h0} pixels; the limit is {MaxDecodedPixels / 1_000_000} megapixels after any reduced-scale decoding)");

        bool huge = pixels > HugeDecodePixels;
        if (huge) HugeDecodeGate.Wait();
        try
        {
            using var bitmap = DecodePixels(codec, dims);
            bool flattened = codec.Info.AlphaType != SKAlphaType.Opaque && FlattenOnWhite(bitmap);
            using var upright = Orient(bitmap, codec.EncodedOrigin);
            var planar = ResizeToPlanar(upright ?? bitmap, size, mode, pad);
            return new DecodedImage(planar, upscaled, flattened, dims.Width, dims.Height);
        }
        finally
        {
            if (huge) HugeDecodeGate.Release();
        }
    }

    /// <summary>Whether an image of w x h has enough pixels for <paramref name="mode"/> without enlarging. Orientation-independent.</summary>
    internal static bool LargeEnough(int w, int h, int size, ResizeMode mode) => mode switch
    {
        ResizeMode.CenterCrop => Math.Min(w, h) >= size,
        ResizeMode.Pad => Math.Max(w, h) >= size,
        _ => w >= size && h >= size,
    };

    /// <summary>
    /// JPEG (in 1/8 steps) and WebP can decode at reduced scale, which is both faster and a proper low-pass filter.
    /// Takes the smallest scale that still leaves enough pixels for the final resize, so no quality is lost.
    /// </summary>
    internal static SKSizeI DecodeSize(SKCodec codec, int w0, int h0, int size, ResizeMode mode)
    {
        for (int k = 1; k < 8; k++)
        {
            var d = codec.GetScaledDimensions(k / 8f);
            if (d.Width > 0 && d.Height > 0 && d.Width < w0 && LargeEnough(d.Width, d.Height, size, mode)) return d;
        }
        return new SKSizeI(w0, h0);
    }

    private static SKBitmap DecodePixels(SKCodec codec, SKSizeI dims)
    {
        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success) throw new UnusableImageException(Describe(result));
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated: the file ends before the image data does",
        SKCodecResult.ErrorInInput => "corrupt image data",
        SKCodecResult.InvalidInput => "invalid image data",
        SKCodecResult.Unimplemented => "unsupported variant of the format",
        _ => $"cannot decode ({result})",
    };

    /// <summary>
    /// Lays premultiplied pixels over white, in place. Returns whether any pixel was actually transparent, so
    /// that PNGs with an unused alpha channel are not reported as flattened.
    /// </summary>
    private static bool FlattenOnWhite(SKBitmap bitmap)
    {
        var px = bitmap.GetPixelSpan();
        bool any = false;
        for (int i = 0; i < px.Length; i += 4)
        {
            int a = px[i + 3];
            if (a == 255) continue;
            any = true;
            // Premultiplied "over" onto opaque white: c + (1 - a) * 255.
            int add = 255 - a;
            px[i] = (byte)(px[i] + add);
            px[i + 1] = (byte)(px[i + 1] + add);
            px[i + 2] = (byte)(px[i + 2] + add);
            px[i + 3] = 255;
        }
        return any;
    }

    /// <summary>
    /// Applies the EXIF orientation so photos stand upright. Returns null when the image is already upright.
    /// Done by index arithmetic rather than a canvas transform so that it is exact (no resampling).
    /// </summary>
    internal static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft || (int)origin < 1 || (int)origin > 8) return null;
        int w = source.Width, h = source.Height;
        bool swap = origin >= SKEncodedOrigin.LeftTop;
        int ow = swap ? h : w, oh = swap ? w : h;
        var result = new SKBitmap(new SKImageInfo(ow, oh, source.ColorType, source.AlphaType));
        var src = MemoryMarshal.Cast<byte, uint>(source.GetPixelSpan());
        var dst = MemoryMarshal.Cast<byte, uint>(result.GetPixelSpan());
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                // (sx, sy): where displayed pixel (x, y) is stored, per the TIFF/EXIF orientation definitions.
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x), // LeftBottom
                };
                dst[y * ow + x] = src[sy * w + sx];
            }
        }
        return result;
    }

    private static byte[] ResizeToPlanar(SKBitmap source, int size, ResizeMode mode, SKColor pad)
    {
        int w = source.Width, h = source.Height;
        SKRect src, dst;
        SKRectI? crop = null;
        switch (mode)
        {
            case ResizeMode.CenterCrop:
            {
                int side = Math.Min(w, h);
                crop = SKRectI.Create((w - side) / 2, (h - side) / 2, side, side);
                src = new SKRect(0, 0, side, side);
                dst = new SKRect(0, 0, size, size);
                break;
            }
            case ResizeMode.Pad:
            {
                // Whole-pixel placement keeps the bars a clean, exact pad colour instead of a blended edge.
                double scale = (double)size / Math.Max(w, h);
                int dw = Math.Clamp((int)Math.Round(w * scale), 1, size), dh = Math.Clamp((int)Math.Round(h * scale), 1, size);
                int left = (size - dw) / 2, top = (size - dh) / 2;
                src = new SKRect(0, 0, w, h);
                dst = new SKRect(left, top, left + dw, top + dh);
                break;
            }
            default:
                src = new SKRect(0, 0, w, h);
                dst = new SKRect(0, 0, size, size);
                break;
        }

        bool shrinking = dst.Width < src.Width || dst.Height < src.Height;
        // Shrinking: trilinear over mipmaps, which averages every source pixel instead of point-sampling.
        // Enlarging: Mitchell cubic, which is smoother than bilinear without ringing much.
        var sampling = shrinking
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);

        source.SetImmutable();
        using var whole = SKImage.FromBitmap(source);
        // Cropping to a subset image first keeps the filter from reading pixels outside the crop, which it
        // otherwise does near the edges (a thin stripe of the cut-off sides would bleed in).
        using var cropped = crop is { } c ? whole.Subset(c) : null;
        var image = cropped ?? whole;
        using var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(pad);
            canvas.DrawImage(image, src, dst, sampling);
            canvas.Flush();
        }

        var rgba = target.GetPixelSpan();
        int plane = size * size;
        var planar = new byte[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            planar[i] = rgba[4 * i];
            planar[plane + i] = rgba[4 * i + 1];
            planar[2 * plane + i] = rgba[4 * i + 2];
        }
        return planar;
    }
}
