namespace ArchGan.Data;

/// <summary>How a non-square image becomes a square one.</summary>
public enum ResizeMode
{
    /// <summary>Scale the short side to the target size and cut the centre square: nothing is distorted, the edges are lost.</summary>
    CenterCrop,
    /// <summary>Fit the whole image inside the square and fill the rest with a neutral colour.</summary>
    Pad,
    /// <summary>Scale each side to the target size, ignoring the aspect ratio: what the article did.</summary>
    Stretch,
}
