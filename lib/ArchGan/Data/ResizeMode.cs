namespace ArchGan.Data;

/// <summary>How <see cref="ImageFolder"/> turns an image of any aspect ratio into a square.</summary>
public enum ResizeMode
{
    /// <summary>
    /// Scale so the short side equals the target size, then cut the centre square. Keeps proportions and fills
    /// the frame, at the cost of the edges of wide or tall images. The default.
    /// </summary>
    CenterCrop = 0,

    /// <summary>
    /// Scale so the long side equals the target size, centre it, and fill the rest with
    /// <see cref="ImageFolder.PadColor"/> (mid grey, 128/128/128, which is about 0 once pixels are mapped to [-1, 1]).
    /// Keeps the whole image and its proportions; the model also learns the bars.
    /// </summary>
    Pad = 1,

    /// <summary>Scale width and height independently to the target size, ignoring the aspect ratio (what the article's step 1 did).</summary>
    Stretch = 2,
}
