namespace ArchGan.Training;

/// <summary>The adversarial loss a <see cref="GanTrainer"/> optimizes.</summary>
public enum GanLoss
{
    /// <summary>
    /// Sigmoid cross-entropy, as in the article: D minimizes −log D(x) − log(1 − D(G(z))), G minimizes
    /// −log D(G(z)) (the non-saturating form of Goodfellow et al. 2014).
    /// </summary>
    Bce,
    /// <summary>
    /// Hinge loss (Lim and Ye 2017): D minimizes max(0, 1 − D(x)) + max(0, 1 + D(G(z))) on raw logits, G
    /// minimizes −D(G(z)). D stops learning from images it already scores beyond the margin.
    /// </summary>
    Hinge,
}
