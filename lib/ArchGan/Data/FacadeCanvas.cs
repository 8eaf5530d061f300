using SkiaSharp;

namespace ArchGan.Data;

/// <summary>
/// One thread's drawing surface. Everything is drawn in unit coordinates (0..1 across the image, y down) so that a
/// building has the same shape at 32 and at 256 pixels; the bitmap, paint and path are reused from image to image
/// because creating them costs more than drawing a small facade.
/// </summary>
internal sealed class FacadeCanvas : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPath _path = new();

    public FacadeCanvas(int size)
    {
        Size = size;
        _bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
    }

    public int Size { get; }

    /// <summary>One pixel, in unit coordinates: the thinnest line worth drawing.</summary>
    public float Px => 1f / Size;

    public void Begin()
    {
        _canvas.ResetMatrix();
        _canvas.Clear(SKColors.Black);
        _canvas.Scale(Size);
    }

    public void Rect(float l, float t, float r, float b, SKColor c)
    {
        _paint.Color = c;
        _canvas.DrawRect(l, t, r - l, b - t, _paint);
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
        _path.Rewind();
        _path.MoveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.Length; i += 2) _path.LineTo(xy[i], xy[i + 1]);
        _path.Close();
        _paint.Color = c;
        _canvas.DrawPath(_path, _paint);
    }

    public void Ellipse(float cx, float cy, float rx, float ry, SKColor c)
    {
        _paint.Color = c;
        _canvas.DrawOval(cx, cy, rx, ry, _paint);
    }

    /// <summary>An opening with a semicircular head: the arch of loggias, belfries and doors.</summary>
    public void Arch(float l, float t, float r, float b, SKColor c)
    {
        float radius = (r - l) / 2;
        _path.Rewind();
        _path.MoveTo(l, b);
        _path.LineTo(l, t + radius);
        _path.ArcTo(new SKRect(l, t, r, t + 2 * radius), 180, 180, false);
        _path.LineTo(r, b);
        _path.Close();
        _paint.Color = c;
        _canvas.DrawPath(_path, _paint);
    }

    public void Line(float x0, float y0, float x1, float y1, float width, SKColor c)
    {
        _paint.Color = c;
        _paint.Style = SKPaintStyle.Stroke;
        _paint.StrokeWidth = width;
        _canvas.DrawLine(x0, y0, x1, y1, _paint);
        _paint.Style = SKPaintStyle.Fill;
    }

    public void VerticalGradient(float l, float t, float r, float b, SKColor top, SKColor bottom)
    {
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, t), new SKPoint(0, b), [top, bottom], SKShaderTileMode.Clamp);
        _paint.Shader = shader;
        _paint.Color = SKColors.White;
        _canvas.DrawRect(l, t, r - l, b - t, _paint);
        _paint.Shader = null;
    }

    public void RadialGlow(float cx, float cy, float radius, SKColor centre)
    {
        using var shader = SKShader.CreateRadialGradient(new SKPoint(cx, cy), radius, [centre, centre.WithAlpha(0)], SKShaderTileMode.Clamp);
        _paint.Shader = shader;
        _paint.Color = SKColors.White;
        _canvas.DrawCircle(cx, cy, radius, _paint);
        _paint.Shader = null;
    }

    /// <summary>Limits drawing to a rectangle until the matching <see cref="Unclip"/>: reflections must stay on the glass.</summary>
    public void Clip(float l, float t, float r, float b)
    {
        _canvas.Save();
        _canvas.ClipRect(new SKRect(l, t, r, b));
    }

    public void Unclip() => _canvas.Restore();

    /// <summary>Copies the finished image into <paramref name="dest"/> as three planes, R then G then B.</summary>
    public void CopyPlanar(byte[] dest, int offset)
    {
        _canvas.Flush();
        ReadOnlySpan<byte> rgba = _bitmap.GetPixelSpan();
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
        _path.Dispose();
        _paint.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
