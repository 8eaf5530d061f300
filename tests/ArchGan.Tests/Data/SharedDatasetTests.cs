using ArchGan.Data;

namespace ArchGan.Tests.Data;

/// <summary>The real image folders beside the repository (see /work/shared/datasets/README.md); skipped where absent.</summary>
public class SharedDatasetTests
{
    private static string Folder(string name) => SharedDatasets.Find(name)!;

    [SharedDatasetFact("palladio-32")]
    public void Palladio_loads_all_32_images()
    {
        var (set, report) = ImageFolder.Load(Folder("palladio-32"), 64, useCache: false);
        Assert.Equal(32, set.Count);
        Assert.Equal(64, set.Size);
        Assert.Equal(32 * 3 * 64 * 64, set.Pixels.Length);
        Assert.Empty(report.Skipped);
        Assert.Equal(set.Names.Order(StringComparer.Ordinal), set.Names);
        Assert.Contains("img (12).jpg", set.Names);
        using var t = set.ToTensor();
        Assert.Equal(new long[] { 32, 3, 64, 64 }, t.shape);
    }

    [SharedDatasetFact("wikiart-385")]
    public void Wikiart_loads_all_385_images_and_then_from_cache()
    {
        using var cache = new TempFolder("archgan-cache");
        var first = ImageFolder.Load(Folder("wikiart-385"), 128, cacheDirectory: cache.Path);
        Assert.Equal(385, first.Images.Count);
        Assert.Equal(128, first.Images.Size);
        Assert.Empty(first.Report.Skipped);
        var second = ImageFolder.Load(Folder("wikiart-385"), 128, cacheDirectory: cache.Path);
        Assert.True(second.Report.FromCache);
        Assert.Equal(first.Images.Pixels, second.Images.Pixels);
    }

    [SharedDatasetFact("palladio-32")]
    public void Crop_pad_and_stretch_differ_as_expected_on_real_photos()
    {
        const int size = 64;
        var folder = Folder("palladio-32");
        var crop = ImageFolder.Load(folder, size, ResizeMode.CenterCrop, useCache: false).Images;
        var pad = ImageFolder.Load(folder, size, ResizeMode.Pad, useCache: false).Images;
        var stretch = ImageFolder.Load(folder, size, ResizeMode.Stretch, useCache: false).Images;
        Assert.Equal(crop.Names, pad.Names);

        int wide = 0;
        for (int i = 0; i < pad.Count; i++)
        {
            bool topRowIsBar = RowIsPad(pad, i, 0) || RowIsPad(pad, i, size - 1);
            bool leftColumnIsBar = ColumnIsPad(pad, i, 0) || ColumnIsPad(pad, i, size - 1);
            // Palladio photos are 210 px wide and 79 to 507 high: wide ones get bars above and below, tall ones
            // at the sides; none are exactly square, so every padded image has bars one way or the other.
            Assert.True(topRowIsBar ^ leftColumnIsBar, $"{pad.Names[i]}: expected bars on exactly one axis");
            if (topRowIsBar)
            {
                wide++;
                Assert.False(RowIsPad(pad, i, size / 2), $"{pad.Names[i]}: picture in the middle");
            }
            // Crop and stretch fill the frame with picture: a real photo never has a whole row of exact grey.
            Assert.False(RowIsPad(crop, i, 0) && ColumnIsPad(crop, i, 0), $"{crop.Names[i]}: crop has no bars");
            Assert.False(RowIsPad(stretch, i, 0) && ColumnIsPad(stretch, i, 0), $"{stretch.Names[i]}: stretch has no bars");
            // Non-square sources: stretch squeezes, crop cuts, so they cannot agree.
            Assert.NotEqual(crop.Image(i).ToArray(), stretch.Image(i).ToArray());
        }
        Assert.InRange(wide, 1, pad.Count - 1);
    }

    private static bool RowIsPad(ImageSet set, int index, int y)
    {
        for (int x = 0; x < set.Size; x++)
            if (TestImages.Pixel(set, index, x, y) != (128, 128, 128)) return false;
        return true;
    }

    private static bool ColumnIsPad(ImageSet set, int index, int x)
    {
        for (int y = 0; y < set.Size; y++)
            if (TestImages.Pixel(set, index, x, y) != (128, 128, 128)) return false;
        return true;
    }
}
