using ArchGan.Data;

namespace ArchGan.Tests.Data;

public class ImageSetTests
{
    [Fact]
    public void The_fingerprint_changes_with_any_pixel_the_order_or_the_shape_and_with_nothing_else()
    {
        var blocks = TestData.Blocks(6, 8);
        var fingerprint = blocks.Fingerprint();
        Assert.Matches("^[0-9a-f]{16}$", fingerprint);
        Assert.Equal(fingerprint, new ImageSet((byte[])blocks.Pixels.Clone(), 6, 8).Fingerprint());

        var onePixel = (byte[])blocks.Pixels.Clone();
        onePixel[^1] ^= 1;
        Assert.NotEqual(fingerprint, new ImageSet(onePixel, 6, 8).Fingerprint());

        var swapped = (byte[])blocks.Pixels.Clone();
        blocks.Image(1).CopyTo(swapped.AsSpan(0));
        blocks.Image(0).CopyTo(swapped.AsSpan(blocks.ImageBytes));
        Assert.NotEqual(fingerprint, new ImageSet(swapped, 6, 8).Fingerprint());

        // The same bytes read as 24 images of 4 x 4 are other images.
        Assert.NotEqual(fingerprint, new ImageSet(blocks.Pixels, 24, 4).Fingerprint());
    }
}
