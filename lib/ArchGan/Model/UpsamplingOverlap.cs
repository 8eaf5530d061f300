using ArchGan.Data;
using TorchSharp;
using static TorchSharp.torch.nn.functional;

namespace ArchGan.Model;

/// <summary>
/// Where a generator's checkerboard artefacts come from (Odena, Dumoulin and Olah 2016, "Deconvolution and
/// Checkerboard Artifacts"): how many input values reach each output pixel of one upsampling step, with every
/// weight and every input equal to 1. A transposed convolution whose kernel side is not a multiple of its stride
/// (the generator's 5 x 5 at stride 2) reaches some pixels more often than their neighbours, in a regular pattern,
/// so a trained network has to learn weights that cancel the pattern, and until it has, its samples show a grid.
/// Enlarging first (nearest neighbour) and then convolving at stride 1 reaches every pixel equally often.
/// </summary>
/// <remarks>
/// The counts come from the same TorchSharp operations, with the same padding, as <see cref="Generator"/>'s stages,
/// so they show what the generator's own layers do, not a drawing of it.
/// </remarks>
public static class UpsamplingOverlap
{
    /// <summary>
    /// Contributions per output pixel of a transposed convolution of side <paramref name="kernel"/> at
    /// <paramref name="stride"/>, padded as the generator pads it, on an all-ones <paramref name="inputSide"/>²
    /// input with all-ones weights: a (stride · inputSide)² map.
    /// </summary>
    public static float[,] TransposedConvolution(int inputSide = 8, int kernel = 5, int stride = 2)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.ones(1, 1, inputSide, inputSide);
        var weight = torch.ones(1, 1, kernel, kernel);
        var (padding, outputPadding) = Architecture.TransposedPadding(kernel, stride);
        var output = conv_transpose2d(input, weight, strides: new long[] { stride, stride },
            padding: new long[] { padding, padding }, output_padding: new long[] { outputPadding, outputPadding });
        return ToArray(output);
    }

    /// <summary>
    /// The alternative, on the same input: nearest-neighbour enlargement by <paramref name="factor"/>, then a
    /// stride-1 convolution of side <paramref name="kernel"/> with all-ones weights and "same" padding. Every pixel
    /// away from the border receives kernel² contributions; only the border, where the padding adds zeros, gets fewer.
    /// </summary>
    public static float[,] UpsampleThenConvolve(int inputSide = 8, int kernel = 5, int factor = 2)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.ones(1, 1, inputSide, inputSide);
        var enlarged = input.repeat_interleave(factor, 2).repeat_interleave(factor, 3);
        var weight = torch.ones(1, 1, kernel, kernel);
        var output = conv2d(enlarged, weight, padding: new long[] { kernel / 2, kernel / 2 });
        return ToArray(output);
    }

    /// <summary>
    /// How many pixels receive how many contributions, leaving out <paramref name="margin"/> pixels at each border
    /// (where padding, not the overlap, decides): one level means an even step, several mean a pattern.
    /// </summary>
    public static IReadOnlyList<(float Contributions, int Pixels)> InteriorLevels(float[,] counts, int margin = 4)
    {
        var levels = new SortedDictionary<float, int>();
        for (int y = margin; y < counts.GetLength(0) - margin; y++)
            for (int x = margin; x < counts.GetLength(1) - margin; x++)
                levels[counts[y, x]] = levels.GetValueOrDefault(counts[y, x]) + 1;
        return levels.Select(l => (l.Key, l.Value)).ToList();
    }

    /// <summary>
    /// The maps as grey images, one per map, each scaled to its own range: white where a pixel receives the most
    /// contributions, black where it receives none. The maps must be square and of one side.
    /// </summary>
    public static ImageSet ToImages(params float[][,] maps)
    {
        if (maps.Length == 0) throw new ArgumentException("No maps to draw.", nameof(maps));
        int side = maps[0].GetLength(0);
        if (maps.Any(m => m.GetLength(0) != side || m.GetLength(1) != side))
            throw new ArgumentException($"Every map must be {side} x {side}.", nameof(maps));
        var pixels = new byte[maps.Length * 3 * side * side];
        for (int n = 0; n < maps.Length; n++)
        {
            var map = maps[n];
            float max = map.Cast<float>().Max();
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                {
                    var grey = max > 0 ? (byte)Math.Round(255 * map[y, x] / max) : (byte)0;
                    for (int c = 0; c < 3; c++) pixels[((n * 3 + c) * side + y) * side + x] = grey;
                }
        }
        return new ImageSet(pixels, maps.Length, side);
    }

    private static float[,] ToArray(torch.Tensor output)
    {
        int height = (int)output.shape[2], width = (int)output.shape[3];
        var values = output.reshape(-1).data<float>().ToArray();
        var map = new float[height, width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                map[y, x] = values[y * width + x];
        return map;
    }
}
