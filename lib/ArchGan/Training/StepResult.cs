namespace ArchGan.Training;

/// <summary>
/// What one training iteration measured, as plain numbers (no tensor outlives its iteration).
/// </summary>
/// <param name="LossD">Discriminator loss: BCE(D(x), 1) + BCE(D(G(z)), 0).</param>
/// <param name="LossG">Generator loss: BCE(D(G(z)), 1).</param>
/// <param name="DReal">Mean D(x): the discriminator's probability that real images are real.</param>
/// <param name="DFake">Mean D(G(z)) before the discriminator's update: its probability that fakes are real.</param>
public readonly record struct StepResult(float LossD, float LossG, float DReal, float DFake)
{
    /// <summary>True when both losses are finite numbers.</summary>
    public bool IsFinite => float.IsFinite(LossD) && float.IsFinite(LossG);
}
