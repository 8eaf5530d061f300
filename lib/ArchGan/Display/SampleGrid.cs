using ArchGan.Data;
using ArchGan.IO;
using SkiaSharp;

namespace ArchGan.Display;

/// <summary>
/// Images laid out in rows and columns on a dark background, the way GAN papers show samples. In a
/// notebook it displays as an inline PNG; elsewhere <see cref="Save"/> writes it as a PNG file.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class SampleGrid
{
    /// <summary>A grid of <paramref name="images"/>; <paramref name="columns"/> defaults to a near-square layout.</summary>
    public SampleGrid(ImageSet images, int? columns = null, int padding = 2, int scale = 1, string? title = null)
    {
        if (images.Count == 0) throw new ArgumentException("A grid needs at least one image.", nameof(images));
        Images = images;
        Columns = Math.Clamp(columns ?? (int)Math.Ceiling(Math.Sqrt(images.Count)), 1, images.Count);
        Padding = Math.Max(0, padding);
        Scale = Math.Max(1, scale);
        Title = title;
    }

    /// <summary>The images, in reading order.</summary>
    public ImageSet Images { get; }
    /// <summary>Images per row.</summary>
    public int Columns { get; }
    /// <summary>Rows needed for all images.</summary>
    public int Rows => (Images.Count + Columns - 1) / Columns;
    /// <summary>Pixels between images.</summary>
    public int Padding { get; }
    /// <summary>Each image is drawn this many times larger (nearest neighbour), so 32 x 32 samples are visible.</summary>
    public int Scale { get; }
    /// <summary>An optional caption, shown above the grid in a notebook.</summary>
    public string? Title { get; }

    /// <summary>The grid as one bitmap.</summary>
    public SKBitmap ToBitmap()
    {
        int cell = Images.Size * Scale;
        int width = Columns * cell + (Columns + 1) * Padding, height = Rows * cell + (Rows + 1) * Padding;
        var grid = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(grid);
        canvas.Clear(new SKColor(24, 24, 24));
        for (int i = 0; i < Images.Count; i++)
        {
            using var image = ImagePng.ToBitmap(Images, i, Scale);
            int x = Padding + (i % Columns) * (cell + Padding), y = Padding + (i / Columns) * (cell + Padding);
            canvas.DrawBitmap(image, x, y);
        }
        canvas.Flush();
        return grid;
    }

    /// <summary>The grid as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var bitmap = ToBitmap();
        return ImagePng.Encode(bitmap);
    }

    /// <summary>Writes the grid as a PNG file (atomically) and returns the path.</summary>
    public string Save(string path)
    {
        AtomicFile.WriteAllBytes(path, ToPng());
        return path;
    }
}
