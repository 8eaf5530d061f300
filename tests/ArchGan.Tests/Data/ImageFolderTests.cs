using ArchGan.Data;
using SkiaSharp;
using static ArchGan.Tests.Data.TestImages;

namespace ArchGan.Tests.Data;

public class ImageFolderTests
{
    private static LoadResult LoadNoCache(string folder, int size, ResizeMode mode = ResizeMode.CenterCrop) =>
        ImageFolder.Load(folder, size, mode, useCache: false);

    [Fact]
    public void Loads_every_format_recursively_in_ordinal_order_of_relative_path()
    {
        using var dir = new TempFolder();
        dir.Write("img (2).jpg", SolidJpeg(40, 40, SKColors.Red));
        dir.Write("img (12).jpg", SolidJpeg(40, 40, SKColors.Lime));
        dir.Write("sub/deeper/b.png", SolidPng(40, 40, SKColors.Blue));
        dir.Write("A.webp", Encode(Solid(40, 40, SKColors.Yellow), SKEncodedImageFormat.Webp, 100));
        dir.Write("c.BMP", BmpWriter.Solid(40, 40, 0, 255, 255));
        dir.Write("d.gif", GifWriter.Animated(40, 40, (255, 0, 255)));

        var (set, report) = LoadNoCache(dir.Path, 16);

        // Ordinal: upper case before lower, "img (1" before "img (2", '/' separators.
        Assert.Equal(new[] { "A.webp", "c.BMP", "d.gif", "img (12).jpg", "img (2).jpg", "sub/deeper/b.png" }, set.Names);
        Assert.Equal(6, set.Count);
        Assert.Equal(16, set.Size);
        Assert.Equal(6 * 3 * 16 * 16, set.Pixels.Length);
        AssertColor(Pixel(set, 0, 8, 8), 255, 255, 0, where: "webp");
        AssertColor(Pixel(set, 1, 8, 8), 0, 255, 255, 0, "bmp");
        AssertColor(Pixel(set, 2, 8, 8), 255, 0, 255, 0, "gif");
        AssertColor(Pixel(set, 3, 8, 8), 0, 255, 0, where: "jpg 12");
        AssertColor(Pixel(set, 4, 8, 8), 255, 0, 0, where: "jpg 2");
        AssertColor(Pixel(set, 5, 8, 8), 0, 0, 255, 0, "png");
        Assert.Equal(6, report.Loaded);
        Assert.Empty(report.Skipped);
        Assert.Empty(report.Upscaled);
        Assert.False(report.FromCache);
        Assert.Equal(6, report.Decoded);
    }

    // A 200 x 100 image: red quarter, green half, blue quarter, left to right.
    private static string WideBands(TempFolder dir)
    {
        using var b = Bands(200, 100, SKColors.Red, SKColors.Lime, SKColors.Lime, SKColors.Blue);
        dir.Write("wide.png", Png(b));
        return dir.Path;
    }

    [Fact]
    public void CenterCrop_keeps_the_middle_square_of_a_wide_image()
    {
        using var dir = new TempFolder();
        var set = LoadNoCache(WideBands(dir), 32, ResizeMode.CenterCrop).Images;
        // The centre 100 x 100 square is all green: no red, blue or padding anywhere.
        for (int y = 0; y < 32; y += 3)
            for (int x = 0; x < 32; x++)
                AssertColor(Pixel(set, 0, x, y), 0, 255, 0, 0, $"({x},{y})");
    }

    [Fact]
    public void Pad_keeps_the_whole_image_and_fills_bars_with_mid_grey()
    {
        using var dir = new TempFolder();
        var set = LoadNoCache(WideBands(dir), 32, ResizeMode.Pad).Images;
        Assert.Equal(new SKColor(128, 128, 128), ImageFolder.PadColor);
        // 200 x 100 fits as 32 x 16, centred: rows 0..7 and 24..31 are bars.
        for (int x = 0; x < 32; x++)
        {
            AssertColor(Pixel(set, 0, x, 0), 128, 128, 128, 0, $"top bar x={x}");
            AssertColor(Pixel(set, 0, x, 7), 128, 128, 128, 0, $"top bar x={x}");
            AssertColor(Pixel(set, 0, x, 24), 128, 128, 128, 0, $"bottom bar x={x}");
            AssertColor(Pixel(set, 0, x, 31), 128, 128, 128, 0, $"bottom bar x={x}");
        }
        AssertColor(Pixel(set, 0, 1, 16), 255, 0, 0, 0, "left edge");
        AssertColor(Pixel(set, 0, 16, 16), 0, 255, 0, 0, "centre");
        AssertColor(Pixel(set, 0, 30, 16), 0, 0, 255, 0, "right edge");
    }

    [Fact]
    public void Stretch_squeezes_the_whole_image_into_the_square()
    {
        using var dir = new TempFolder();
        var set = LoadNoCache(WideBands(dir), 32, ResizeMode.Stretch).Images;
        for (int y = 0; y < 32; y += 5)
        {
            AssertColor(Pixel(set, 0, 1, y), 255, 0, 0, 0, $"left y={y}");
            AssertColor(Pixel(set, 0, 16, y), 0, 255, 0, 0, $"centre y={y}");
            AssertColor(Pixel(set, 0, 30, y), 0, 0, 255, 0, $"right y={y}");
        }
    }

    [Fact]
    public void Downscaling_averages_fine_detail_instead_of_point_sampling()
    {
        // A one-pixel checkerboard shrunk 8x: nearest-neighbour gives pure black or white (or a coarse pattern);
        // a filtered resize gives grey everywhere.
        using var dir = new TempFolder();
        var png = PngWriter.Write(512, 512, PngWriter.Gray, 8, (x, y, _) => (x + y) % 2 == 0 ? 0 : 255);
        dir.Write("checker.png", png);
        var set = LoadNoCache(dir.Path, 64).Images;
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                AssertColor(Pixel(set, 0, x, y), 128, 128, 128, 24, $"({x},{y})");
    }

    [Fact]
    public void A_set_too_large_for_one_array_is_refused_before_decoding_naming_the_folder_and_the_size()
    {
        using var dir = new TempFolder();
        for (int i = 0; i < 3; i++) dir.Write($"{i}.png", SolidPng(8, 8, SKColors.Red));
        // 3 images of 30,000 x 30,000 RGB bytes: 8.1 GB, past the ~2.1 GB of one .NET array (and past int arithmetic).
        var e = Assert.Throws<DatasetException>(() => LoadNoCache(dir.Path, 30_000, ResizeMode.CenterCrop));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("3 images: at 30000 x 30000 they take 8.1 GB", e.Message);
    }

    [Fact]
    public void Images_smaller_than_the_target_are_upscaled_and_reported()
    {
        using var dir = new TempFolder();
        dir.Write("small.png", SolidPng(20, 30, SKColors.Red));
        dir.Write("large.png", SolidPng(80, 80, SKColors.Blue));
        // Wide 100 x 40: big enough for Pad (long side) but not for CenterCrop (short side).
        dir.Write("wide.png", SolidPng(100, 40, SKColors.Lime));

        var crop = LoadNoCache(dir.Path, 64, ResizeMode.CenterCrop);
        Assert.Equal(new[] { "small.png", "wide.png" }, crop.Report.Upscaled);
        AssertColor(Pixel(crop.Images, 1, 32, 32), 255, 0, 0, 0, "upscaled small");
        AssertColor(Pixel(crop.Images, 1, 0, 0), 255, 0, 0, 0, "upscaled small corner");

        var pad = LoadNoCache(dir.Path, 64, ResizeMode.Pad);
        Assert.Equal(new[] { "small.png" }, pad.Report.Upscaled);
        Assert.Contains("upscaled: 1", pad.Report.Summary());
    }

    [Fact]
    public void Missing_folder_throws_DatasetException_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "archgan-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Load(missing, 32, useCache: false));
        Assert.Contains(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.Equal(missing, e.Folder);
    }

    [Fact]
    public void Folder_without_images_throws_DatasetException()
    {
        using var dir = new TempFolder();
        dir.Write("notes.txt", "hello"u8.ToArray());
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Load(dir.Path, 32, useCache: false));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("1 hidden or non-image", e.Message);
    }

    [Fact]
    public void Folder_where_every_image_is_broken_throws_with_counts_and_reasons()
    {
        using var dir = new TempFolder();
        dir.Write("a.jpg", []);
        dir.Write("b.jpg", []);
        dir.Write("c.png", "not a png"u8.ToArray());
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Load(dir.Path, 32, useCache: false));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("all 3 candidate file(s) were skipped", e.Message);
        Assert.Contains("2 x empty file", e.Message);
        Assert.Contains("1 x not a decodable image", e.Message);
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        using var dir = new TempFolder();
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(dir.Path, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(dir.Path, 32, (ResizeMode)7));
    }

    [Fact]
    public void Summary_lists_counts_and_each_skipped_file_with_its_reason()
    {
        using var dir = new TempFolder();
        dir.Write("good.png", SolidPng(40, 40, SKColors.Red));
        dir.Write("tiny.png", SolidPng(8, 8, SKColors.Red));
        dir.Write("empty (1).jpg", []);
        var report = LoadNoCache(dir.Path, 32).Report;
        var text = report.ToString();
        Assert.Contains("2 images loaded", text);
        Assert.Contains("32x32 (CenterCrop)", text);
        Assert.Contains("3 decoded", text); // attempts, the broken one included
        Assert.Contains("skipped: 1", text);
        Assert.Contains("skipped empty (1).jpg: empty file (0 bytes)", text);
        Assert.Contains("upscaled tiny.png", text);
        Assert.Equal(report.Summary(), text);
    }
}
