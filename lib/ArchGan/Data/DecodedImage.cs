namespace ArchGan.Data;

/// <summary>One file after decoding and resizing.</summary>
/// <param name="Planar">3 x size x size bytes, R plane, G plane, B plane.</param>
/// <param name="Upscaled">The source was smaller than the target in the dimension the mode scales by.</param>
/// <param name="Flattened">The source had transparent pixels, which were laid over white.</param>
/// <param name="DecodedWidth">Width actually decoded (after reduced-scale decoding, before orientation): lets tests check that huge files are not decoded in full.</param>
/// <param name="DecodedHeight">Height actually decoded, likewise.</param>
internal sealed record DecodedImage(byte[] Planar, bool Upscaled, bool Flattened, int DecodedWidth, int DecodedHeight);
