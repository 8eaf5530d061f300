using ArchGan.Data;
using SkiaSharp;
using static ArchGan.Tests.Data.TestImages;

namespace ArchGan.Tests.Data;

/// <summary>Awkward and broken inputs: each file is made here; usable ones must load, the rest be skipped with a reason.</summary>
public class BrokenImageTests
{
    private static LoadResult Load(TempFolder dir, int size = 16, ResizeMode mode = ResizeMode.CenterCrop) =>
        ImageFolder.Load(dir.Path, size, mode, useCache: false);

    /// <summary>Puts one good image beside the case under test, so the load itself succeeds.</summary>
    private static TempFolder WithGoodImage()
    {
        var dir = new TempFolder();
        dir.Write("good.jpg", SolidJpeg(32, 32, SKColors.Blue));
        return dir;
    }

    private static SkippedFile SingleSkip(LoadReport report, string name)
    {
        var s = Assert.Single(report.Skipped);
        Assert.Equal(name, s.Name);
        return s;
    }

    [Fact]
    public void Truncated_jpeg_is_skipped_and_reported()
    {
        using var dir = WithGoodImage();
        var jpeg = Jpeg(Bands(64, 64, SKColors.Red, SKColors.Lime, SKColors.Blue));
        dir.Write("cut.jpg", jpeg.Take(jpeg.Length / 2).ToArray());
        var (set, report) = Load(dir);
        Assert.Equal(new[] { "good.jpg" }, set.Names);
        Assert.Contains("truncated", SingleSkip(report, "cut.jpg").Reason);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_skipped_too()
    {
        using var dir = WithGoodImage();
        dir.Write("head.jpg", SolidJpeg(64, 64, SKColors.Red).Take(30).ToArray());
        var (set, report) = Load(dir);
        Assert.Equal(1, set.Count);
        Assert.Equal("head.jpg", SingleSkip(report, "head.jpg").Name);
    }

    [Fact]
    public void Zero_byte_file_is_skipped_as_empty()
    {
        using var dir = WithGoodImage();
        dir.Write("zero.png", []);
        var (set, report) = Load(dir);
        Assert.Equal(1, set.Count);
        Assert.Equal("empty file (0 bytes)", SingleSkip(report, "zero.png").Reason);
    }

    [Fact]
    public void Text_file_named_jpg_is_skipped_as_not_an_image()
    {
        using var dir = WithGoodImage();
        dir.Write("readme.jpg", "This is not a picture.\n"u8.ToArray());
        var (set, report) = Load(dir);
        Assert.Equal(1, set.Count);
        Assert.StartsWith("not a decodable image", SingleSkip(report, "readme.jpg").Reason);
    }

    [Fact]
    public void Png_with_alpha_is_composited_on_white_and_reported()
    {
        using var dir = new TempFolder();
        // Left half fully transparent, right half half-transparent red: on white those are white and pink.
        using var b = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                b.SetPixel(x, y, x < 16 ? new SKColor(0, 0, 0, 0) : new SKColor(255, 0, 0, 128));
        dir.Write("alpha.png", Png(b));
        dir.Write("opaque-rgba.png", PngWriter.Write(32, 32, PngWriter.Rgba, 8, (_, _, c) => c == 3 ? 255 : 40));

        var (set, report) = Load(dir, 32, ResizeMode.Stretch);
        AssertColor(Pixel(set, 0, 4, 16), 255, 255, 255, 1, "transparent -> white");
        AssertColor(Pixel(set, 0, 28, 16), 255, 127, 127, 2, "half red -> pink");
        AssertColor(Pixel(set, 1, 16, 16), 40, 40, 40, 0, "opaque RGBA untouched");
        // Only images with actually transparent pixels count as flattened.
        Assert.Equal(new[] { "alpha.png" }, report.Flattened);
        Assert.Contains("transparency on white: 1", report.Summary());
    }

    [Fact]
    public void Sixteen_bit_png_is_reduced_to_eight_bits()
    {
        using var dir = new TempFolder();
        var values = new[] { 0xFFFF, 0x8080, 0x0000 };
        dir.Write("deep.png", PngWriter.Write(24, 24, PngWriter.Rgb, 16, (_, _, c) => values[c]));
        var set = Load(dir).Images;
        AssertColor(Pixel(set, 0, 8, 8), 255, 128, 0, 1, "16-bit");
    }

    [Fact]
    public void Grayscale_and_palette_pngs_become_rgb()
    {
        using var dir = new TempFolder();
        dir.Write("gray.png", PngWriter.Write(24, 24, PngWriter.Gray, 8, (_, _, _) => 77));
        byte[] palette = [10, 20, 30, 200, 100, 50];
        dir.Write("palette.png", PngWriter.Write(24, 24, PngWriter.Palette, 8, (x, _, _) => x < 12 ? 0 : 1, palette));
        var set = Load(dir, 24, ResizeMode.Stretch).Images;
        AssertColor(Pixel(set, 0, 5, 5), 77, 77, 77, 0, "gray");
        AssertColor(Pixel(set, 1, 3, 5), 10, 20, 30, 0, "palette entry 0");
        AssertColor(Pixel(set, 1, 20, 5), 200, 100, 50, 0, "palette entry 1");
    }

    [Fact]
    public void Cmyk_jpeg_is_converted_to_rgb()
    {
        using var dir = new TempFolder();
        // Adobe-style inverted CMYK as stored: C=255, M=0, Y=0, K=255 means no cyan ink, full magenta and yellow,
        // no black: red. (Hand-written JPEG; SkiaSharp's encoder cannot write CMYK.)
        dir.Write("cmyk.jpg", JpegWriter.Flat(32, 32, [255, 0, 0, 255]));
        var (set, report) = Load(dir);
        Assert.Empty(report.Skipped);
        AssertColor(Pixel(set, 0, 8, 8), 255, 0, 0, 2, "cmyk red");
    }

    [Fact]
    public void Progressive_jpeg_loads()
    {
        using var dir = new TempFolder();
        // YCbCr for about (255, 0, 0), hand-written as a progressive (SOF2) JPEG with a DC scan and AC scans.
        dir.Write("progressive.jpg", JpegWriter.Flat(40, 24, [76, 85, 255], progressive: true));
        dir.Write("baseline.jpg", JpegWriter.Flat(40, 24, [76, 85, 255]));
        var (set, report) = Load(dir);
        Assert.Empty(report.Skipped);
        Assert.Equal(new[] { "baseline.jpg", "progressive.jpg" }, set.Names);
        AssertColor(Pixel(set, 0, 8, 8), 254, 0, 0, 3, "baseline");
        AssertColor(Pixel(set, 1, 8, 8), 254, 0, 0, 3, "progressive");
    }

    [Theory]
    [InlineData(1, false)] // already upright
    [InlineData(6, true)]  // stored rotated: turn 90 degrees clockwise to view
    [InlineData(8, true)]  // turn 90 degrees anticlockwise to view
    [InlineData(3, false)] // upside down
    public void Exif_orientation_is_applied(ushort orientation, bool turnsSideways)
    {
        using var dir = new TempFolder();
        // Stored 64 x 32: left half red, right half blue.
        using var stored = Bands(64, 32, SKColors.Red, SKColors.Blue);
        dir.Write("photo.jpg", WithExifOrientation(Jpeg(stored), orientation));
        var set = Load(dir, 16, ResizeMode.Stretch).Images;

        var (first, second) = orientation switch
        {
            1 => (((byte, byte, byte))(255, 0, 0), ((byte, byte, byte))(0, 0, 255)), // left red, right blue
            3 => ((0, 0, 255), (255, 0, 0)),   // rotated 180: left blue, right red
            6 => ((255, 0, 0), (0, 0, 255)),   // clockwise: stored left (red) on top
            _ => ((0, 0, 255), (255, 0, 0)),   // anticlockwise: stored right (blue) on top
        };
        // "first" is the top half when sideways, else the left half.
        var a = turnsSideways ? Pixel(set, 0, 8, 2) : Pixel(set, 0, 2, 8);
        var b = turnsSideways ? Pixel(set, 0, 8, 13) : Pixel(set, 0, 13, 8);
        AssertColor(a, first.Item1, first.Item2, first.Item3, 20, "first half");
        AssertColor(b, second.Item1, second.Item2, second.Item3, 20, "second half");
    }

    [Fact]
    public void Exif_orientation_is_applied_before_cropping()
    {
        // Stored 64 x 32 (red | blue) with orientation 6 is 32 x 64 upright (red over blue); CenterCrop keeps the
        // middle 32 x 32, red on top and blue below. Cropping the stored image instead would give red | blue.
        using var dir = new TempFolder();
        using var stored = Bands(64, 32, SKColors.Red, SKColors.Blue);
        dir.Write("photo.jpg", WithExifOrientation(Jpeg(stored), 6));
        var set = Load(dir, 16, ResizeMode.CenterCrop).Images;
        AssertColor(Pixel(set, 0, 3, 2), 255, 0, 0, 24, "top left");
        AssertColor(Pixel(set, 0, 12, 2), 255, 0, 0, 24, "top right");
        AssertColor(Pixel(set, 0, 3, 13), 0, 0, 255, 24, "bottom left");
    }

    [Fact]
    public void Animated_gif_contributes_its_first_frame()
    {
        using var dir = new TempFolder();
        dir.Write("anim.gif", GifWriter.Animated(24, 24, (255, 0, 0), (0, 0, 255), (0, 255, 0)));
        var set = Load(dir).Images;
        Assert.Equal(1, set.Count);
        AssertColor(Pixel(set, 0, 8, 8), 255, 0, 0, 0, "first frame");
    }

    [Fact]
    public void Huge_jpeg_is_decoded_at_reduced_scale()
    {
        // 12000 x 8000 would take 384 MB decoded in full; at 1/8 it is 1500 x 1000.
        var jpeg = JpegWriter.Flat(12000, 8000, [200]);
        var decoded = ImageDecoder.Decode(jpeg, 128, ResizeMode.CenterCrop, ImageFolder.PadColor);
        Assert.Equal((1500, 1000), (decoded.DecodedWidth, decoded.DecodedHeight));
        Assert.Equal(200, decoded.Planar[64 * 128 + 64]);

        using var dir = new TempFolder();
        dir.Write("huge.jpg", jpeg);
        var (set, report) = Load(dir, 128);
        Assert.Equal(1, set.Count);
        Assert.Empty(report.Upscaled);
    }

    [Fact]
    public void Large_png_is_decoded_whole_and_averaged_down()
    {
        // PNG cannot be decoded at reduced scale; 8000 x 6000 (48 MP) is under the limit and must still come out
        // filtered: a 4-pixel checker of 50 and 150 averages to 100.
        var png = PngWriter.Write(8000, 6000, PngWriter.Gray, 8, (x, y, _) => (x / 4 + y / 4) % 2 == 0 ? 50 : 150, fastest: true);
        var decoded = ImageDecoder.Decode(png, 64, ResizeMode.Pad, ImageFolder.PadColor);
        Assert.Equal((8000, 6000), (decoded.DecodedWidth, decoded.DecodedHeight));
        for (int x = 2; x < 62; x += 5) Assert.InRange(decoded.Planar[32 * 64 + x], 90, 110);
    }

    [Fact]
    public void Image_beyond_the_decode_limit_is_skipped_before_allocating()
    {
        using var dir = WithGoodImage();
        // Only the header claims 30000 x 30000 (900 MP); the loader must refuse from the header alone.
        dir.Write("giant.png", PngWriter.HeaderOnly(30000, 30000));
        var (set, report) = Load(dir);
        Assert.Equal(1, set.Count);
        Assert.StartsWith("too large to decode (30000x30000", SingleSkip(report, "giant.png").Reason);
    }

    [Fact]
    public void Hidden_and_non_image_files_are_ignored_not_reported()
    {
        using var dir = WithGoodImage();
        dir.Write(".hidden.jpg", SolidJpeg(32, 32, SKColors.Red));
        dir.Write(".git/objects/x.png", SolidPng(32, 32, SKColors.Red));
        dir.Write("notes.txt", "some notes"u8.ToArray());
        dir.Write("Thumbs.db", [1, 2, 3]);
        var (set, report) = Load(dir);
        Assert.Equal(new[] { "good.jpg" }, set.Names);
        Assert.Empty(report.Skipped);
        Assert.Equal(4, report.Ignored); // .hidden.jpg, .git, notes.txt, Thumbs.db
    }

    [Fact]
    public void Symbolic_link_loops_do_not_recurse_forever_or_duplicate_images()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = WithGoodImage();
        dir.Write("sub/inner.png", SolidPng(32, 32, SKColors.Red));
        Directory.CreateSymbolicLink(dir["sub/up"], "..");          // loop back to the root
        Directory.CreateSymbolicLink(dir["sub/self"], ".");         // loop to itself
        Directory.CreateSymbolicLink(dir["alias"], dir["sub"]);     // a second way into sub
        File.CreateSymbolicLink(dir["dangling.jpg"], dir["nowhere.jpg"]);
        var (set, report) = Load(dir);
        Assert.Equal(2, set.Count);
        Assert.Contains("good.jpg", set.Names);
        Assert.Contains(set.Names, n => n.EndsWith("inner.png"));
        var dangling = SingleSkip(report, "dangling.jpg");
        Assert.StartsWith("cannot read", dangling.Reason);
    }

    [Fact]
    public void Unreadable_file_is_skipped_unless_running_as_root()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = WithGoodImage();
        var locked = dir.Write("locked.jpg", SolidJpeg(32, 32, SKColors.Red));
        File.SetUnixFileMode(locked, UnixFileMode.None);
        bool canStillRead;
        try
        {
            File.ReadAllBytes(locked);
            canStillRead = true; // root (as in this project's containers) ignores file permissions
        }
        catch (UnauthorizedAccessException)
        {
            canStillRead = false;
        }

        var (set, report) = Load(dir);
        if (canStillRead)
        {
            Assert.Equal(2, set.Count);
            Assert.Empty(report.Skipped);
        }
        else
        {
            Assert.Equal(1, set.Count);
            Assert.Equal("cannot read: permission denied", SingleSkip(report, "locked.jpg").Reason);
        }
    }

    [Fact]
    public void Mixed_folder_loads_the_good_and_reports_every_bad_file()
    {
        using var dir = WithGoodImage();
        dir.Write("a/empty.jpg", []);
        dir.Write("a/text.png", "hello"u8.ToArray());
        dir.Write("b/red.png", SolidPng(32, 32, SKColors.Red));
        dir.Write("notes.txt", "x"u8.ToArray());
        var (set, report) = Load(dir);
        Assert.Equal(new[] { "b/red.png", "good.jpg" }, set.Names);
        Assert.Equal(new[] { "a/empty.jpg", "a/text.png" }, report.Skipped.Select(s => s.Name));
        Assert.Equal(1, report.Ignored);
        Assert.Equal(2, report.Loaded);
    }
}
