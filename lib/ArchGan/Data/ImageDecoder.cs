using System.Runtime.InteropServices;
using SkiaSharp;

namespace ArchGan.Data;

/// <summary>Decodes one encoded image and resizes it to a square; the per-file half of <see cref="ImageFolder"/>.</summary>
internal static class ImageDecoder
{
    /// <summary>
    /// Most pixels we are willing to hold decoded at once (160 MB as RGBA). Larger sources must be reduced while
    /// decoding (JPEG/WebP scaling, or row-by-row box averaging) or are skipped, so one huge file cannot exhaust memory.
    /// </summary>
    internal const long MaxDecodedPixels = 40_000_000;

    /// <summary>Above this many pixels, formats that cannot scale while decoding are box-averaged row by row.</summary>
    internal const long SampledDecodeThreshold = 16_000_000;

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

        using var bitmap = DecodePixels(codec, w0, h0, size, mode, out int dw, out int dh);
        bool flattened = codec.Info.AlphaType != SKAlphaType.Opaque && FlattenOnWhite(bitmap);
        using var upright = Orient(bitmap, codec.EncodedOrigin);
        var planar = ResizeToPlanar(upright ?? bitmap, size, mode, pad);
        return new DecodedImage(planar, upscaled, flattened, dw, dh);
    }

    /// <summary>Whether an image of w x h has enough pixels for <paramref name="mode"/> without enlarging. Orientation-independent.</summary>
    internal static bool LargeEnough(int w, int h, int size, ResizeMode mode) => mode switch
    {
        ResizeMode.CenterCrop => Math.Min(w, h) >= size,
        ResizeMode.Pad => Math.Max(w, h) >= size,
        _ => w >= size && h >= size,
    };

    private static SKBitmap DecodePixels(SKCodec codec, int w0, int h0, int size, ResizeMode mode, out int dw, out int dh)
    {
        // JPEG (1/8 steps) and WebP can decode at reduced scale, which is both faster and a proper low-pass filter.
        // Take the smallest scale that still leaves enough pixels for the final resize, so quality is not lost.
        var dims = new SKSizeI(w0, h0);
        for (int k = 1; k < 8; k++)
        {
            var d = codec.GetScaledDimensions(k / 8f);
            if (d.Width > 0 && d.Height > 0 && d.Width < w0 && LargeEnough(d.Width, d.Height, size, mode))
            {
                dims = d;
                break;
            }
        }

        long pixels = (long)dims.Width * dims.Height;
        if (pixels > SampledDecodeThreshold)
        {
            int factor = 1;
            while (LargeEnough(w0 / (factor + 1), h0 / (factor + 1), size, mode) || (long)(w0 / factor) * (h0 / factor) > MaxDecodedPixels && factor < 64)
                factor++;
            if (factor >= 2 && dims.Width == w0)
            {
                var sampled = TryBoxDecode(codec, w0, h0, factor);
                if (sampled != null)
                {
                    dw = sampled.Width;
                    dh = sampled.Height;
                    return sampled;
                }
            }
            if (pixels > MaxDecodedPixels)
                throw new UnusableImageException($"too large to decode ({w0}x{h0} pixels, and this format cannot be decoded at reduced size)");
        }

        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success) throw new UnusableImageException(Describe(result));
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
        dw = dims.Width;
        dh = dims.Height;
        return bitmap;
    }

    /// <summary>
    /// Decodes row by row and averages factor x factor blocks, so a huge PNG/BMP never exists in memory at full size.
    /// Returns null when the codec cannot decode top-down scanlines (then the caller decodes in one go if it may).
    /// </summary>
    private static SKBitmap? TryBoxDecode(SKCodec codec, int w0, int h0, int factor)
    {
        var rowInfo = new SKImageInfo(w0, h0, SKColorType.Rgba8888, SKAlphaType.Premul);
        if (codec.StartScanlineDecode(rowInfo) != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
            return null;

        int ow = w0 / factor, oh = h0 / factor, rowBytes = w0 * 4;
        var rows = new byte[rowBytes * factor];
        var sums = new int[ow * 4];
        var output = new SKBitmap(new SKImageInfo(ow, oh, SKColorType.Rgba8888, SKAlphaType.Premul));
        try
        {
            var dst = output.GetPixelSpan();
            int area = factor * factor, half = area / 2;
            var handle = GCHandle.Alloc(rows, GCHandleType.Pinned);
            try
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    int got = codec.GetScanlines(handle.AddrOfPinnedObject(), factor, rowBytes);
                    if (got < factor) throw new UnusableImageException("truncated or corrupt image data");
                    Array.Clear(sums);
                    for (int r = 0; r < factor; r++)
                    {
                        int rowStart = r * rowBytes;
                        for (int ox = 0; ox < ow; ox++)
                        {
                            int s = rowStart + ox * factor * 4, t = ox * 4;
                            for (int k = 0; k < factor; k++, s += 4)
                            {
                                sums[t] += rows[s];
                                sums[t + 1] += rows[s + 1];
                                sums[t + 2] += rows[s + 2];
                                sums[t + 3] += rows[s + 3];
                            }
                        }
                    }
                    var outRow = dst.Slice(oy * ow * 4, ow * 4);
                    for (int i = 0; i < outRow.Length; i++) outRow[i] = (byte)((sums[i] + half) / area);
                }
            }
            finally
            {
                handle.Free();
            }
            return output;
        }
        catch
        {
            output.Dispose();
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
        switch (mode)
        {
            case ResizeMode.CenterCrop:
            {
                int side = Math.Min(w, h);
                float left = (w - side) / 2f, top = (h - side) / 2f;
                src = new SKRect(left, top, left + side, top + side);
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
        using var image = SKImage.FromBitmap(source);
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
