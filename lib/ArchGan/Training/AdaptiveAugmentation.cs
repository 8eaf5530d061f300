namespace ArchGan.Training;

/// <summary>
/// Adaptive augmentation strength (Karras et al. 2020, "Training Generative Adversarial Networks with Limited
/// Data", sec. 3): the chance p that each DiffAugment transformation is applied to an image is raised while D
/// overfits and lowered while it does not. The overfitting signal is r = E[sign(D(x))] on real images: 0 when D
/// cannot tell, 1 when it calls every training photo real with confidence. p follows r towards
/// <see cref="Hyperparameters.AdaptiveAugmentTarget"/>, so a small set gets strong augmentation only once D starts
/// to memorize it, and a large one stays close to plain images.
/// </summary>
public static class AdaptiveAugmentation
{
    /// <summary>
    /// p after one D step whose real logits gave <paramref name="overfitting"/> (r): up by batch / images when r is
    /// above the target, down as much when below, kept in [0, 1]. <paramref name="images"/> is
    /// <see cref="Hyperparameters.AdaptiveAugmentImages"/>, how many images p needs to go from 0 to 1.
    /// </summary>
    // Karras et al. adjust every 4 batches from r averaged over them; adjusting every batch from its own r drifts
    // the same way on average (towards where r sits at the target half of the time) and leaves no partial
    // average for a checkpoint to carry.
    public static double Next(double probability, double overfitting, double target, int batchSize, int images) =>
        Math.Clamp(probability + Math.Sign(overfitting - target) * (double)batchSize / images, 0, 1);
}
