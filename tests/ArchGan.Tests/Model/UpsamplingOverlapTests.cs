using ArchGan.Model;

namespace ArchGan.Tests.Model;

/// <summary>The overlap counts that notebook 3 shows as the cause of checkerboard artefacts.</summary>
public sealed class UpsamplingOverlapTests
{
    [Fact]
    public void A_5x5_transposed_convolution_at_stride_2_reaches_interior_pixels_unevenly()
    {
        var counts = UpsamplingOverlap.TransposedConvolution(inputSide: 8, kernel: 5, stride: 2);
        Assert.Equal(16, counts.GetLength(0));
        // Along each axis a pixel is reached by 3 or 2 of the kernel's taps, as its position is even or odd.
        Assert.Equal(new float[] { 4, 6, 9 }, UpsamplingOverlap.InteriorLevels(counts).Select(l => l.Contributions));
        Assert.NotEqual(counts[6, 6], counts[6, 7]);
    }

    [Fact]
    public void A_4x4_transposed_convolution_at_stride_2_doubles_the_side_and_reaches_interior_pixels_equally()
    {
        var counts = UpsamplingOverlap.TransposedConvolution(inputSide: 8, kernel: Architecture.EvenKernel, stride: 2);
        Assert.Equal(16, counts.GetLength(0));
        // Along each axis every pixel is reached by 2 of the kernel's 4 taps.
        var level = Assert.Single(UpsamplingOverlap.InteriorLevels(counts));
        Assert.Equal(4, level.Contributions);
    }

    [Theory]
    [InlineData(5, 2, 2, 1)]
    [InlineData(4, 2, 1, 0)]
    [InlineData(3, 1, 1, 0)]
    public void Transposed_padding_multiplies_the_side_by_the_stride(int kernel, int stride, int padding, int outputPadding)
    {
        Assert.Equal((padding, outputPadding), Architecture.TransposedPadding(kernel, stride));
        var counts = UpsamplingOverlap.TransposedConvolution(inputSide: 8, kernel: kernel, stride: stride);
        Assert.Equal(8 * stride, counts.GetLength(0));
    }

    [Fact]
    public void Enlarging_then_convolving_reaches_every_interior_pixel_equally()
    {
        var counts = UpsamplingOverlap.UpsampleThenConvolve(inputSide: 8, kernel: 5, factor: 2);
        Assert.Equal(16, counts.GetLength(0));
        var level = Assert.Single(UpsamplingOverlap.InteriorLevels(counts));
        Assert.Equal(25, level.Contributions);
        Assert.True(counts[0, 0] < 25, "the zero padding thins the border");
    }

    [Fact]
    public void Maps_become_grey_images_scaled_to_their_own_maximum()
    {
        var images = UpsamplingOverlap.ToImages(UpsamplingOverlap.TransposedConvolution(), UpsamplingOverlap.UpsampleThenConvolve());
        Assert.Equal(2, images.Count);
        Assert.Equal(16, images.Size);
        Assert.Equal(255, images.Image(0).ToArray().Max());
        Assert.Equal(255, images.Image(1).ToArray().Max());
    }
}
