namespace ArchGan.Metrics;

/// <summary>
/// One feature vector per image, as <see cref="ImageFeatures"/> computes them: <paramref name="Count"/> rows of
/// <paramref name="Dimensions"/> floats, row-major in <paramref name="Values"/>.
/// </summary>
/// <param name="Values">Count x Dimensions values, image after image.</param>
/// <param name="Count">Images.</param>
/// <param name="Dimensions">Values per image (512 for ResNet18).</param>
/// <param name="Seconds">Time the extraction took, so hosts can report its speed.</param>
public sealed record FeatureSet(float[] Values, int Count, int Dimensions, double Seconds)
{
    /// <summary>Extraction time per image, in milliseconds.</summary>
    public double MillisecondsPerImage => Count == 0 ? 0 : 1000 * Seconds / Count;

    /// <summary>The features as a Count x Dimensions tensor of doubles, the precision the metrics sum in.</summary>
    public TorchSharp.torch.Tensor ToTensor() =>
        TorchSharp.torch.tensor(Values, new long[] { Count, Dimensions }).to(TorchSharp.torch.ScalarType.Float64);

    // The check every measure makes first: two sets with the same number of features per image.
    internal static void CheckPair(FeatureSet real, FeatureSet fake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        if (real.Dimensions != fake.Dimensions)
            throw new ArgumentException($"Feature sets of {real.Dimensions} and {fake.Dimensions} values per image cannot be compared.", nameof(fake));
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public FeatureSet Pick(IReadOnlyList<int> indices)
    {
        var values = new float[indices.Count * Dimensions];
        for (int i = 0; i < indices.Count; i++)
            Array.Copy(Values, (long)indices[i] * Dimensions, values, (long)i * Dimensions, Dimensions);
        return new FeatureSet(values, indices.Count, Dimensions, 0);
    }
}
