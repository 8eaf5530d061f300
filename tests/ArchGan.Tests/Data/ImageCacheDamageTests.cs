using ArchGan.Data;
using SkiaSharp;
using static ArchGan.Tests.Data.TestImages;

namespace ArchGan.Tests.Data;

/// <summary>A cache file with a byte flipped anywhere, header, names, lists or pixels: never trusted, always rebuilt.</summary>
public class ImageCacheDamageTests
{
    [Fact]
    public void A_flipped_byte_anywhere_in_the_cache_file_makes_it_rebuilt()
    {
        using var images = new TempFolder("archgan-images");
        images.Write("a.png", SolidPng(40, 40, SKColors.Red));
        images.Write("sub/b.jpg", SolidJpeg(50, 30, SKColors.Blue));
        images.Write("tiny.png", SolidPng(10, 10, SKColors.Lime)); // upscaled: the lists are not empty
        images.Write("broken.jpg", "nope"u8.ToArray());           // skipped, with its reason
        using var cache = new TempFolder("archgan-cache");
        var good = ImageFolder.Load(images.Path, 8, cacheDirectory: cache.Path);
        var path = good.Report.CachePath!;
        var bytes = File.ReadAllBytes(path);
        // Every byte of the header and the lists (before the pixels), and bytes spread over the rest.
        int pixels = 3 * 8 * 8 * good.Images.Count;
        var offsets = Enumerable.Range(0, bytes.Length - pixels - 40)
            .Concat(Enumerable.Range(0, 24).Select(i => bytes.Length - pixels - 40 + i * (pixels + 39) / 23))
            .Distinct().ToList();
        foreach (var offset in offsets)
        {
            var copy = (byte[])bytes.Clone();
            copy[offset] ^= 0xFF;
            File.WriteAllBytes(path, copy);
            var loaded = ImageFolder.Load(images.Path, 8, cacheDirectory: cache.Path);
            Assert.False(loaded.Report.FromCache, $"byte {offset} of {bytes.Length} flipped, and the cache was trusted");
            Assert.Contains("rebuilt", loaded.Report.CacheNote);
            Assert.Equal(good.Images.Names, loaded.Images.Names);
            Assert.Equal(good.Images.Pixels, loaded.Images.Pixels);
            Assert.Equal(good.Report.Skipped, loaded.Report.Skipped);
            Assert.Equal(good.Report.Upscaled, loaded.Report.Upscaled);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
    }
}
