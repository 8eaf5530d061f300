namespace ArchGan.Training;

/// <summary>
/// The moving averages α_R and α_F of the discriminator's logits on real and on generated images that the LeCam
/// regularizer (<see cref="Hyperparameters.LeCamWeight"/>) pulls D's verdicts towards, each towards the other
/// kind's. Part of a checkpoint, so a resumed run goes on exactly.
/// </summary>
/// <param name="Real">α_R, the average logit on real images.</param>
/// <param name="Fake">α_F, the average logit on generated images.</param>
public readonly record struct LeCamAverages(double Real, double Fake)
{
    /// <summary>Decay of the averages per D step (0.99, as in Tseng et al.'s code).</summary>
    public const double Decay = 0.99;

    /// <summary>The averages after one more step whose batches' mean logits were <paramref name="real"/> and <paramref name="fake"/>.</summary>
    public LeCamAverages Update(double real, double fake) =>
        new(Decay * Real + (1 - Decay) * real, Decay * Fake + (1 - Decay) * fake);
}
