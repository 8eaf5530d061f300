using ArchGan.Data;
using SkiaSharp;
using static ArchGan.Tests.Data.TestImages;

namespace ArchGan.Tests.Data;

public class ImageCacheTests
{
    private static TempFolder ImagesWithOneBroken()
    {
        var dir = new TempFolder("archgan-images");
        dir.Write("a.png", SolidPng(40, 40, SKColors.Red));
        dir.Write("sub/b (1).jpg", SolidJpeg(50, 30, SKColors.Blue));
        dir.Write("tiny.png", SolidPng(10, 10, SKColors.Lime));
        dir.Write("broken.jpg", "nope"u8.ToArray());
        return dir;
    }

    [Fact]
    public void Second_load_of_an_unchanged_folder_comes_from_the_cache_without_decoding()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        var first = ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);
        var second = ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);

        Assert.False(first.Report.FromCache);
        Assert.Equal(4, first.Report.Decoded);
        Assert.True(second.Report.FromCache);
        Assert.Equal(0, second.Report.Decoded);
        Assert.Contains("from cache", second.Report.Summary());
        Assert.Equal(first.Images.Names, second.Images.Names);
        Assert.Equal(first.Images.Pixels, second.Images.Pixels);
        // The per-file outcomes survive the cache too.
        Assert.Equal(first.Report.Skipped, second.Report.Skipped);
        Assert.Equal(new[] { "tiny.png" }, second.Report.Upscaled);
        Assert.Equal(first.Report.CachePath, second.Report.CachePath);
        Assert.StartsWith(cache.Path, second.Report.CachePath);
    }

    [Fact]
    public void Cache_file_goes_to_the_cache_directory_atomically_and_never_into_the_image_folder()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        var before = Directory.GetFileSystemEntries(images.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);
        var after = Directory.GetFileSystemEntries(images.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(before, after);
        // Exactly the final file: no temporary left behind.
        var file = Assert.Single(Directory.GetFiles(cache.Path));
        Assert.Equal(ImageCache.PathFor(images.Path, 16, ResizeMode.CenterCrop, cache.Path), file);
        Assert.EndsWith(".agc", file);
        Assert.Equal("ARCHGANC"u8.ToArray(), File.ReadAllBytes(file).Take(8).ToArray());
    }

    [Fact]
    public void Changed_added_or_removed_files_invalidate_the_cache()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        LoadResult Load() => ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);
        Load();
        Assert.True(Load().Report.FromCache);

        // Changed: same name, new content (and a later time stamp).
        images.Write("a.png", SolidPng(40, 40, SKColors.Yellow));
        File.SetLastWriteTimeUtc(images["a.png"], DateTime.UtcNow.AddMinutes(1));
        var changed = Load();
        Assert.False(changed.Report.FromCache);
        Assert.Contains("changed", changed.Report.CacheNote);
        AssertColor(Pixel(changed.Images, 0, 8, 8), 255, 255, 0, 0, "new content");
        Assert.True(Load().Report.FromCache);

        // Fixing a broken file counts as a change too, since it is part of the fingerprint.
        images.Write("broken.jpg", SolidJpeg(40, 40, SKColors.Red));
        var fixedLoad = Load();
        Assert.False(fixedLoad.Report.FromCache);
        Assert.Equal(4, fixedLoad.Images.Count);

        images.Write("c.png", SolidPng(40, 40, SKColors.Red));
        var added = Load();
        Assert.False(added.Report.FromCache);
        Assert.Equal(5, added.Images.Count);

        File.Delete(images["c.png"]);
        var removed = Load();
        Assert.False(removed.Report.FromCache);
        Assert.Equal(4, removed.Images.Count);

        // Files the loader ignores do not matter.
        images.Write("notes.txt", "x"u8.ToArray());
        Assert.True(Load().Report.FromCache);
    }

    [Fact]
    public void Another_size_or_mode_uses_another_cache_file()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        ImageFolder.Load(images.Path, 16, ResizeMode.CenterCrop, cache.Path);
        var otherSize = ImageFolder.Load(images.Path, 24, ResizeMode.CenterCrop, cache.Path);
        var otherMode = ImageFolder.Load(images.Path, 16, ResizeMode.Pad, cache.Path);
        Assert.False(otherSize.Report.FromCache);
        Assert.Equal(24, otherSize.Images.Size);
        Assert.False(otherMode.Report.FromCache);
        Assert.Equal(3, Directory.GetFiles(cache.Path).Length);
        Assert.True(ImageFolder.Load(images.Path, 16, ResizeMode.Pad, cache.Path).Report.FromCache);
        Assert.True(ImageFolder.Load(images.Path, 24, ResizeMode.CenterCrop, cache.Path).Report.FromCache);
    }

    public static TheoryData<string> Damages => new() { "truncate", "garbage", "flip-pixel", "wrong-version", "empty" };

    [Theory]
    [MemberData(nameof(Damages))]
    public void Damaged_cache_file_is_ignored_and_rebuilt(string damage)
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        var good = ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);
        var path = good.Report.CachePath!;
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncate": bytes = bytes.Take(bytes.Length - 100).ToArray(); break;
            case "garbage": bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray(); break;
            case "flip-pixel": bytes[bytes.Length - 40] ^= 0xFF; break; // inside the pixels, before the checksum
            case "wrong-version": bytes[8] = 99; break;
            case "empty": bytes = []; break;
        }
        File.WriteAllBytes(path, bytes);

        var rebuilt = ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path);
        Assert.False(rebuilt.Report.FromCache);
        Assert.Contains("rebuilt", rebuilt.Report.CacheNote);
        Assert.Equal(good.Images.Pixels, rebuilt.Images.Pixels);
        // The rebuilt file is good again.
        Assert.True(ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path).Report.FromCache);
    }

    [Fact]
    public void Unwritable_cache_location_is_reported_not_fatal()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        // A file where the cache directory should be: creating the directory fails even for root.
        var blocker = cache.Write("blocker", [1]);
        var result = ImageFolder.Load(images.Path, 16, cacheDirectory: Path.Combine(blocker, "cache"));
        Assert.Equal(3, result.Images.Count);
        Assert.Contains("could not write cache", result.Report.CacheNote);
    }

    [Fact]
    public void UseCache_false_neither_reads_nor_writes()
    {
        using var images = ImagesWithOneBroken();
        using var cache = new TempFolder("archgan-cache");
        var result = ImageFolder.Load(images.Path, 16, cacheDirectory: cache.Path, useCache: false);
        Assert.Null(result.Report.CachePath);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void Default_cache_directory_is_outside_the_image_folder_and_overridable()
    {
        var old = Environment.GetEnvironmentVariable("ARCHGAN_CACHE");
        try
        {
            Environment.SetEnvironmentVariable("ARCHGAN_CACHE", "/some/where");
            Assert.Equal("/some/where", ImageCache.DefaultDirectory);
            Environment.SetEnvironmentVariable("ARCHGAN_CACHE", null);
            Assert.True(Path.IsPathRooted(ImageCache.DefaultDirectory));
            Assert.Contains("archgan", ImageCache.DefaultDirectory, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith(ImageCache.DefaultDirectory, ImageCache.PathFor("/data/my images", 64, ResizeMode.Pad));
            Assert.Matches(@"my_images-[0-9a-f]{16}-64-pad\.agc$", ImageCache.PathFor("/data/my images", 64, ResizeMode.Pad));
            Assert.NotEqual(ImageCache.PathFor("/a/data", 64, ResizeMode.Pad), ImageCache.PathFor("/b/data", 64, ResizeMode.Pad));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ARCHGAN_CACHE", old);
        }
    }
}
