using ArchGan.Data.FacadeDrawing;
namespace ArchGan.Data;

/// <summary>
/// The built-in training set: building facades drawn with SkiaSharp, so that the tutorial runs without downloading
/// photographs. Four styles (<see cref="FacadeStyle"/>) with varied proportions, colours, roofs, skies and ground.
/// </summary>
/// <remarks>
/// Image <c>i</c> depends only on (<c>seed</c>, <c>i</c>, <c>size</c>): it is the same in a set of 10 and a set of
/// 100, and the same on every run, whichever thread draws it. Everything is drawn at the target size (not drawn large
/// and shrunk), so that small sets are cheap.
/// </remarks>
public static class Facades
{
    /// <summary>Smallest image side accepted: below this a facade is no longer recognisable.</summary>
    public const int MinSize = 16;

    /// <summary>Largest image side accepted.</summary>
    public const int MaxSize = 2048;

    private const int StyleCount = 4;

    /// <summary>
    /// Draws <paramref name="count"/> facades of <paramref name="size"/> x <paramref name="size"/> pixels. Names are
    /// the style and index, e.g. <c>villa-7</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is negative or the set would not fit in one array, or <paramref name="size"/> is
    /// outside <see cref="MinSize"/>..<see cref="MaxSize"/>.
    /// </exception>
    public static ImageSet Generate(int count, int size, int seed = 0)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The image count cannot be negative.");
        if (size is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The image size must be between {MinSize} and {MaxSize}.");
        int imageBytes = 3 * size * size;
        if ((long)count * imageBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} images of {size} x {size} do not fit in one array.");

        var pixels = new byte[count * imageBytes];
        var names = new string[count];
        Parallel.For(0, count,
            () => new FacadeCanvas(size),
            (i, _, canvas) =>
            {
                names[i] = $"{Draw(canvas, i, seed).ToString().ToLowerInvariant()}-{i}";
                canvas.CopyPlanar(pixels, i * imageBytes);
                return canvas;
            },
            canvas => canvas.Dispose());
        return new ImageSet(pixels, count, size, names);
    }

    /// <summary>The style of image <paramref name="index"/> in any set generated with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static FacadeStyle StyleOf(int index, int seed = 0)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "The index cannot be negative.");
        return ChooseStyle(new FacadeRandom(seed, index));
    }

    // The style is the stream's first draw, so StyleOf can answer without drawing anything.
    private static FacadeStyle ChooseStyle(FacadeRandom random) => (FacadeStyle)random.Int(0, StyleCount);

    private static FacadeStyle Draw(FacadeCanvas canvas, int index, int seed)
    {
        var random = new FacadeRandom(seed, index);
        var style = ChooseStyle(random);
        canvas.Begin();
        switch (style)
        {
            case FacadeStyle.Villa: FacadeVilla.Draw(canvas, random); break;
            case FacadeStyle.GlassGrid: FacadeGlassGrid.Draw(canvas, random); break;
            case FacadeStyle.RowHouse: FacadeRowHouse.Draw(canvas, random); break;
            default: FacadeTower.Draw(canvas, random); break;
        }
        return style;
    }
}
