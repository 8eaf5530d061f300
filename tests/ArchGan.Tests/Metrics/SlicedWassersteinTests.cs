using System.Diagnostics;
using ArchGan.Data;
using ArchGan.Metrics;
using ArchGan.Tests.Data;
using Xunit.Abstractions;

namespace ArchGan.Tests.Metrics;

public class SlicedWassersteinTests(ITestOutputHelper output)
{
    private static readonly ImageSet Facades64 = Facades.Generate(32, 64, seed: 5);

    [Fact]
    public void Same_images_are_near_zero_and_degradations_are_ordered()
    {
        var same = SlicedWasserstein.Measure(Facades64, Facades64, seed: 1);
        var slight = SlicedWasserstein.Measure(Facades64, MetricImages.Blur(Facades64, 1.0), seed: 1);
        var strong = SlicedWasserstein.Measure(Facades64, MetricImages.Blur(Facades64, 2.5), seed: 1);
        var shuffled = SlicedWasserstein.Measure(Facades64, MetricImages.ShufflePixels(Facades64), seed: 1);
        output.WriteLine($"same {same}\nslight {slight}\nstrong {strong}\nshuffled {shuffled}");

        Assert.Equal(new[] { 64, 32, 16 }, same.Resolutions);
        Assert.Equal(3, same.Distances.Count);
        Assert.Equal(32, same.ImageCount);
        // The same images are not exactly 0: each side draws its own random patches (as in the paper), which leaves a
        // sampling floor that falls with more images; still far below any real difference.
        Assert.True(same.Average < 0.7 * slight.Average, $"same {same.Average:F1} vs slight blur {slight.Average:F1}");
        Assert.True(same.Average < 0.2 * shuffled.Average, $"same {same.Average:F1} vs shuffled {shuffled.Average:F1}");
        Assert.True(slight.Average < strong.Average, $"slight blur {slight.Average:F1} vs strong blur {strong.Average:F1}");
        Assert.True(strong.Average < shuffled.Average, $"strong blur {strong.Average:F1} vs shuffled {shuffled.Average:F1}");
        // Blur removes fine detail: the finest band moves most, the low-pass band hardly.
        Assert.True(strong.Distances[0] > 4 * same.Distances[0]);
        Assert.True(strong.Distances[0] > 2 * strong.Distances[2]);
    }

    [Fact]
    public void The_floor_for_identical_sets_is_sampling_noise_that_falls_with_more_patches()
    {
        var small = Facades.Generate(16, 32, seed: 3);
        var blurred = MetricImages.Blur(small, 1.5);
        var few = new SlicedWasserstein { PatchesPerImage = 64 };
        var many = new SlicedWasserstein { PatchesPerImage = 512 };
        double sameFew = few.Compute(small, small, 2).Average, sameMany = many.Compute(small, small, 2).Average;
        double blurFew = few.Compute(small, blurred, 2).Average, blurMany = many.Compute(small, blurred, 2).Average;
        output.WriteLine($"same: {sameFew:F1} with 64 patches, {sameMany:F1} with 512; blurred: {blurFew:F1}, {blurMany:F1}");
        // 8 x more patches: noise down about √8 ≈ 2.8 x; a real difference stays.
        Assert.True(sameMany < sameFew / 2, $"{sameMany:F1} vs {sameFew:F1}");
        Assert.True(blurMany > 0.6 * blurFew, $"{blurMany:F1} vs {blurFew:F1}");
        Assert.True(sameMany < blurMany / 4);
    }

    [Fact]
    public void Is_symmetric_within_sampling_noise()
    {
        var blocks = TestData.Blocks(32, 64, seed: 2);
        var ab = SlicedWasserstein.Measure(Facades64, blocks, seed: 3);
        var ba = SlicedWasserstein.Measure(blocks, Facades64, seed: 3);
        output.WriteLine($"{ab}\n{ba}");
        Assert.InRange(ba.Average / ab.Average, 0.85, 1.15);
        for (int i = 0; i < ab.Distances.Count; i++)
            Assert.InRange(ba.Distances[i] / ab.Distances[i], 0.75, 1.33);
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers_and_another_seed_other_numbers()
    {
        var one = Facades.Generate(16, 32, seed: 5);
        var other = Facades.Generate(16, 32, seed: 6);
        var first = SlicedWasserstein.Measure(one, other, seed: 7);
        var again = SlicedWasserstein.Measure(one, other, seed: 7);
        var otherSeed = SlicedWasserstein.Measure(one, other, seed: 8);
        Assert.Equal(first.Distances, again.Distances);
        Assert.NotEqual(first.Distances, otherSeed.Distances);
        // Batching is only about memory: it must not change which patches are drawn.
        var batched = new SlicedWasserstein { BatchSize = 5 }.Compute(one, other, seed: 7);
        for (int i = 0; i < first.Distances.Count; i++)
            Assert.Equal(first.Distances[i], batched.Distances[i], 1e-6);
    }

    [Fact]
    public void Patches_are_normalized_per_set_so_brightness_and_contrast_do_not_count()
    {
        // A global affine change of the pixel values is undone by normalizing each set's patches (minus mean, over std).
        var dimmer = MetricImages.Affine(Facades64, 0.5, 60);
        var same = SlicedWasserstein.Measure(Facades64, Facades64, seed: 4);
        var affine = SlicedWasserstein.Measure(Facades64, dimmer, seed: 4);
        var blurred = SlicedWasserstein.Measure(Facades64, MetricImages.Blur(Facades64, 1.0), seed: 4);
        output.WriteLine($"same {same}\naffine {affine}\nblurred {blurred}");
        Assert.True(affine.Average < 1.5 * same.Average + 1, $"affine {affine.Average:F1} vs same {same.Average:F1}");
        Assert.True(affine.Average < blurred.Average / 2);
    }

    [Fact]
    public void Patches_are_cut_around_their_centres_from_the_right_image()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var random = new TorchSharp.torch.Generator(5);
        // Not square, so that swapping rows and columns would show.
        var images = TorchSharp.torch.rand(new long[] { 3, 3, 20, 26 }, generator: random);
        var ys = TorchSharp.torch.randint(3, 17, new long[] { 3, 4 }, generator: random);
        var xs = TorchSharp.torch.randint(3, 23, new long[] { 3, 4 }, generator: random);
        var patches = SlicedWasserstein.CutPatches(images, ys, xs, 7);
        Assert.Equal(new long[] { 12, 3, 7, 7 }, patches.shape);
        for (int i = 0; i < 3; i++)
            for (int p = 0; p < 4; p++)
            {
                long y = ys[i, p].item<long>(), x = xs[i, p].item<long>();
                var expected = images[i].narrow(1, y - 3, 7).narrow(2, x - 3, 7);
                Assert.True(patches[i * 4 + p].allclose(expected, rtol: 0, atol: 0), $"patch {p} of image {i} at ({y}, {x})");
            }
    }

    [Fact]
    public void Sets_of_different_counts_or_sizes_are_refused_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => SlicedWasserstein.Measure(Facades64, Facades.Generate(31, 64)));
        Assert.Contains("32 real and 31 generated", e.Message);
        e = Assert.Throws<ArgumentException>(() => SlicedWasserstein.Measure(Facades64, Facades.Generate(32, 32)));
        Assert.Contains("same image size", e.Message);
        Assert.Throws<ArgumentException>(() => SlicedWasserstein.Measure(Facades.Generate(2, 24), Facades.Generate(2, 24)));
    }

    [Fact]
    public void Tensor_input_in_0_to_255_gives_the_same_as_image_sets()
    {
        var one = Facades.Generate(16, 32, seed: 5);
        var other = TestData.Blocks(16, 32, seed: 9);
        var fromSets = SlicedWasserstein.Measure(one, other, seed: 2);
        using var a = one.ToTensor();
        using var b = other.ToTensor();
        using var af = a.to(TorchSharp.torch.ScalarType.Float32);
        var fromTensors = SlicedWasserstein.Default.Compute(af, b, seed: 2);
        for (int i = 0; i < fromSets.Distances.Count; i++)
            Assert.Equal(fromSets.Distances[i], fromTensors.Distances[i], 1e-6);
        Assert.Contains("average", fromSets.ToString());
    }

    [Fact]
    public void Sixty_four_images_of_128_per_side_take_seconds()
    {
        var real = Facades.Generate(64, 128, seed: 1);
        var fake = Facades.Generate(64, 128, seed: 2);
        var clock = Stopwatch.StartNew();
        var result = SlicedWasserstein.Measure(real, fake);
        output.WriteLine($"{result} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(new[] { 128, 64, 32, 16 }, result.Resolutions);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [SharedDatasetFact("palladio-32")]
    public void Palladio_halves_are_closer_to_each_other_than_to_facades()
    {
        var palladio = ImageFolder.Load(SharedDatasets.Find("palladio-32")!, 64, ResizeMode.Stretch, useCache: false).Images;
        var halves = SlicedWasserstein.Measure(MetricImages.Range(palladio, 0, 16), MetricImages.Range(palladio, 16, 16));
        var facades = SlicedWasserstein.Measure(MetricImages.Range(palladio, 0, 16), Facades.Generate(16, 64));
        output.WriteLine($"halves {halves}\nfacades {facades}");
        Assert.True(halves.Average < facades.Average, $"halves {halves.Average:F1}, facades {facades.Average:F1}");
    }
}
