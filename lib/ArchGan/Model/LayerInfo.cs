namespace ArchGan.Model;

/// <summary>One row of a <see cref="ModelSummary"/>: a layer, the shape it outputs for one image, its parameters and multiply-adds.</summary>
public sealed record LayerInfo(string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds)
{
    /// <summary>The output shape as "C x H x W" (without the batch dimension).</summary>
    public string Shape => string.Join(" x ", OutputShape);
}
