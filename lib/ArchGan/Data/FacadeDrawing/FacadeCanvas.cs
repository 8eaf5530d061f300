using SkiaSharp;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>
/// One thread's drawing surface. Everything is drawn in unit coordinates (0..1 across the image, y down) so that a
/// building has the same shape at 32 and at 256 pixels; the bitmap, paint and path are reused from image to image
/// because creating them costs more than drawing a small facade.
/// </summary>
internal sealed class FacadeCanvas : IDisposable
{
    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPaint paint = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPath path = new();

    public FacadeCanvas(int size)
    {
        Size = size;
        bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        canvas = new SKCanvas(bitmap);
    }

    public int Size { get; }

    /// <summary>One pixel, in unit coordinates: the thinnest line worth drawing.</summary>
    public float Px => 1f / Size;

    public void Begin()
    {
        canvas.ResetMatrix();
        canvas.Clear(SKColors.Black);
        canvas.Scale(Size);
    }

    public void Rect(float l, float t, float r, float b, SKColor c)
    {
        paint.Color = c;
        canvas.DrawRect(l, t, r - l, b - t, paint);
    }

    /// <summary>
    /// A rectangle snapped to whole pixels and at least one pixel wide and high. Windows and mullions drawn this way
    /// stay sharp small instead of smearing into the wall at 32 or 64 pixels.
    /// </summary>
    public void Crisp(float l, float t, float r, float b, SKColor c)
    {
        float s = Size;
        float x0 = MathF.Round(l * s), y0 = MathF.Round(t * s);
        float x1 = Math.Max(x0 + 1, MathF.Round(r * s)), y1 = Math.Max(y0 + 1, MathF.Round(b * s));
        Rect(x0 / s, y0 / s, x1 / s, y1 / s, c);
    }

    public void Poly(SKColor c, ReadOnlySpan<float> xy)
    {
        path.Rewind();
        path.MoveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.Length; i += 2) path.LineTo(xy[i], xy[i + 1]);
        path.Close();
        paint.Color = c;
        canvas.DrawPath(path, paint);
    }

    public void Ellipse(float cx, float cy, float rx, float ry, SKColor c)
    {
        paint.Color = c;
        canvas.DrawOval(cx, cy, rx, ry, paint);
    }

    /// <summary>An opening with a semicircular head: the arch of loggias, belfries and doors.</summary>
    public void Arch(float l, float t, float r, float b, SKColor c)
    {
        float radius = (r - l) / 2;
        path.Rewind();
        path.MoveTo(l, b);
        path.LineTo(l, t + radius);
        path.ArcTo(new SKRect(l, t, r, t + 2 * radius), 180, 180, false);
        path.LineTo(r, b);
        path.Close();
        paint.Color = c;
        canvas.DrawPath(path, paint);
    }

    public void Line(float x0, float y0, float x1, float y1, float width, SKColor c)
    {
        paint.Color = c;
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = width;
        canvas.DrawLine(x0, y0, x1, y1, paint);
        paint.Style = SKPaintStyle.Fill;
    }

    public void VerticalGradient(float l, float t, float r, float b, SKColor top, SKColor bottom)
    {
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, t), new SKPoint(0, b), [top, bottom], SKShaderTileMode.Clamp);
        paint.Shader = shader;
        paint.Color = SKColors.White;
        canvas.DrawRect(l, t, r - l, b - t, paint);
        paint.Shader = null;
    }

    public void RadialGlow(float cx, float cy, float radius, SKColor centre)
    {
        using var shader = SKShader.CreateRadialGradient(new SKPoint(cx, cy), radius, [centre, centre.WithAlpha(0)], SKShaderTileMode.Clamp);
        paint.Shader = shader;
        paint.Color = SKColors.White;
        canvas.DrawCircle(cx, cy, radius, paint);
        paint.Shader = null;
    }

    /// <summary>Limits drawing to a rectangle until the matching <see cref="Unclip"/>: reflections must stay on the glass.</summary>
    public void Clip(float l, float t, float r, float b)
    {
        canvas.Save();
        canvas.ClipRect(new SKRect(l, t, r, b));
    }

    public void Unclip() => canvas.Restore();

    /// <summary>Copies the finished image into <paramref name="dest"/> as three planes, R then G then B.</summary>
    public void CopyPlanar(byte[] dest, int offset)
    {
        canvas.Flush();
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int plane = Size * Size;
        var r = dest.AsSpan(offset, plane);
        var g = dest.AsSpan(offset + plane, plane);
        var b = dest.AsSpan(offset + 2 * plane, plane);
        for (int p = 0, q = 0; p < plane; p++, q += 4)
        {
            r[p] = rgba[q];
            g[p] = rgba[q + 1];
            b[p] = rgba[q + 2];
        }
    }

    public void Dispose()
    {
        path.Dispose();
        paint.Dispose();
        canvas.Dispose();
        bitmap.Dispose();
    }
}
