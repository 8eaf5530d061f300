using ArchGan.Data;
using ArchGan.Model;
using TorchSharp;
using static TorchSharp.torch;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Sampling;

/// <summary>Draws latent noise and turns it into images with a generator.</summary>
public static class Sampler
{
    /// <summary>
    /// <paramref name="count"/> latent vectors, uniform in [-1, 1] as in the article, from
    /// <paramref name="random"/> (a seeded torch generator makes them reproducible).
    /// </summary>
    public static Tensor Noise(int count, int latentSize, torch.Generator? random = null, Device? device = null)
    {
        // Scalars held for the calls: a temporary one can be freed mid-call by another thread's collection (see SafeAdam).
        using var two = 2.ToScalar();
        using var one = 1.ToScalar();
        var z = torch.rand(new long[] { count, latentSize }, generator: random).mul_(two).sub_(one);
        return device is null || device.type == DeviceType.CPU ? z : z.to(device);
    }

    /// <summary>
    /// Images for the given noise, in eval mode (BatchNorm uses its running statistics, so an image does not
    /// depend on the others in its batch), without gradients. The generator's mode is restored afterwards.
    /// </summary>
    public static ImageSet Generate(Generator generator, Tensor noise)
    {
        var wasTraining = generator.training;
        generator.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            return ImageSet.FromTensor(generator.call(noise));
        }
        finally
        {
            generator.train(wasTraining);
        }
    }

    /// <summary><paramref name="count"/> new images from seed <paramref name="seed"/>.</summary>
    public static ImageSet Generate(Generator generator, int count, int latentSize, long seed)
    {
        using var random = new torch.Generator((ulong)seed);
        using var noise = Noise(count, latentSize, random, ParameterDevice(generator));
        return Generate(generator, noise);
    }

    /// <summary>
    /// Walks the latent space: <paramref name="rows"/> straight lines, each from one random z to another
    /// in <paramref name="steps"/> steps. Smooth changes along a row mean the generator learned a
    /// continuous space rather than memorizing images.
    /// </summary>
    public static ImageSet Interpolate(Generator generator, int rows, int steps, int latentSize, long seed)
    {
        using var scope = torch.NewDisposeScope();
        using var random = new torch.Generator((ulong)seed);
        var start = Noise(rows, latentSize, random);
        var end = Noise(rows, latentSize, random);
        var t = torch.linspace(0, 1, steps).view(1, steps, 1);
        var path = start.unsqueeze(1).lerp(end.unsqueeze(1), t).reshape(rows * steps, latentSize);
        return Generate(generator, path.to(ParameterDevice(generator)));
    }

    /// <summary>
    /// What a generator suffering mode collapse draws, imitated with a healthy one: <paramref name="count"/>
    /// images whose noise is pulled towards one random z, to <paramref name="spread"/> of its usual distance
    /// (1: ordinary samples; 0: one image repeated). A collapsed GAN maps most of z-space to a few outputs;
    /// squeezing z shows the grid it gives and which measures catch it, without training one.
    /// </summary>
    public static ImageSet GenerateCollapsed(Generator generator, int count, int latentSize, long seed, double spread)
    {
        if (spread is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(spread), spread, "a share between 0 and 1");
        using var scope = torch.NewDisposeScope();
        using var random = new torch.Generator((ulong)seed);
        var centre = Noise(1, latentSize, random);
        var noise = Noise(count, latentSize, random);
        var weight = torch.tensor((float)spread);
        return Generate(generator, centre.lerp(noise, weight).to(ParameterDevice(generator)));
    }

    internal static Device ParameterDevice(nn.Module module) => module.parameters().First().device;
}
