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

    [Fact]
    public void Mirrored_images_equal_what_a_flipped_batch_holds()
    {
        var blocks = TestData.Blocks(3, 8);
        var mirrored = blocks.Mirrored();
        // ImageBatches mirrors with flip(3), the width axis; the set must hold the same pixels.
        var expected = blocks.ToTensor().flip(3).data<byte>().ToArray();
        Assert.Equal(expected, mirrored.Pixels);
        Assert.NotEqual(blocks.Pixels, mirrored.Pixels);
        Assert.Equal(blocks.Names.Select(n => n + "-mirrored"), mirrored.Names);
    }

    [Fact]
    public void Concat_stacks_sets_in_order_with_their_names()
    {
        var a = TestData.Blocks(2, 8, seed: 1);
        var b = TestData.Blocks(3, 8, seed: 2);
        var rows = ImageSet.Concat(new[] { a, b, a.Take(1) });
        Assert.Equal((6, 8), (rows.Count, rows.Size));
        Assert.Equal(a.Pixels.Concat(b.Pixels).Concat(a.Image(0).ToArray()), rows.Pixels);
        Assert.Equal(new[] { "#0", "#1", "#0", "#1", "#2", "#0" }, rows.Names);
    }

    [Fact]
    public void Concat_refuses_nothing_and_sets_of_different_sizes()
    {
        Assert.Contains("no image sets", Assert.Throws<ArgumentException>(() => ImageSet.Concat(Array.Empty<ImageSet>())).Message);
        var e = Assert.Throws<ArgumentException>(() => ImageSet.Concat(new[] { TestData.Blocks(1, 8), TestData.Blocks(1, 16) }));
        Assert.Contains("8 x 8 and 16 x 16", e.Message);
    }

    [Fact]
    public void Pick_takes_the_images_at_the_indices_in_their_order_repeats_included()
    {
        var set = new ImageSet(TestData.Blocks(4, 8).Pixels, 4, 8, new[] { "a", "b", "c", "d" });
        var picked = set.Pick(new[] { 3, 0, 3 });
        Assert.Equal(new[] { "d", "a", "d" }, picked.Names);
        Assert.Equal(set.Image(3).ToArray().Concat(set.Image(0).ToArray()).Concat(set.Image(3).ToArray()), picked.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Pick(new[] { 4 }));
    }
}
