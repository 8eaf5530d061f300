namespace ArchGan.Training;

/// <summary>
/// A run's regime read from the end of its history, the way one reads loss curves: what D answers for real images,
/// D(x), and for fakes, D(G(z)), on average and how much D(G(z)) swings from batch to batch. The thresholds are rules
/// of thumb for short runs of this project's networks, not laws: a diagnosis says where to look in the curves and the
/// samples, which stay the verdict.
/// </summary>
/// <param name="Regime">The regime the numbers point to, by the first rule that applies (see <see cref="Of"/>).</param>
/// <param name="Steps">How many of the last iterations were read.</param>
/// <param name="DReal">Mean D(x) over them.</param>
/// <param name="DFake">Mean D(G(z)) over them.</param>
/// <param name="Swing">Standard deviation of D(G(z)) over them.</param>
public sealed record TrainingDiagnosis(TrainingRegime Regime, int Steps, double DReal, double DFake, double Swing)
{
    /// <summary>Below this gap between D(x) and D(G(z)), D does not tell real from fake.</summary>
    public const double SeparationFloor = 0.05;

    /// <summary>Below this mean D(G(z)), D rejects every fake.</summary>
    public const double SaturationCeiling = 0.05;

    /// <summary>Above this standard deviation of D(G(z)), D's verdict is thrown about from batch to batch.</summary>
    public const double SwingCeiling = 0.15;

    /// <summary>
    /// Reads the last <paramref name="steps"/> iterations of <paramref name="history"/> (all of them if it is
    /// shorter; by default its second half, at least 2 iterations, past the start every run shares). The rules, in order: D(x) − D(G(z)) below <see cref="SeparationFloor"/> is
    /// <see cref="TrainingRegime.DiscriminatorTooSlow"/>; D(G(z)) below <see cref="SaturationCeiling"/> is
    /// <see cref="TrainingRegime.DiscriminatorTooStrong"/>; a swing above <see cref="SwingCeiling"/> is
    /// <see cref="TrainingRegime.Unstable"/>; otherwise <see cref="TrainingRegime.Healthy"/>.
    /// </summary>
    public static TrainingDiagnosis Of(TrainingHistory history, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        steps ??= Math.Max(2, history.Count / 2);
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "a diagnosis reads at least 2 iterations");
        if (history.Count < 2) throw new ArgumentException("a diagnosis needs a history of at least 2 iterations", nameof(history));
        var last = history.Steps.Skip(Math.Max(0, history.Count - steps.Value)).ToList();
        double dReal = last.Average(s => (double)s.DReal), dFake = last.Average(s => (double)s.DFake);
        double swing = Math.Sqrt(last.Average(s => (s.DFake - dFake) * (s.DFake - dFake)));
        var regime =
            dReal - dFake < SeparationFloor ? TrainingRegime.DiscriminatorTooSlow
            : dFake < SaturationCeiling ? TrainingRegime.DiscriminatorTooStrong
            : swing > SwingCeiling ? TrainingRegime.Unstable
            : TrainingRegime.Healthy;
        return new TrainingDiagnosis(regime, last.Count, dReal, dFake, swing);
    }

    /// <summary>The regime in words, with what gives it away.</summary>
    public string Explanation => Regime switch
    {
        TrainingRegime.DiscriminatorTooSlow => "D too slow: D(x) is not above D(G(z)), so D does not tell real from fake yet",
        TrainingRegime.DiscriminatorTooStrong => "D too strong: D(G(z)) is near 0, D rejects every fake",
        TrainingRegime.Unstable => "unstable: D(G(z)) swings from batch to batch, the steps overshoot",
        _ => "healthy: D tells real from fake without saturating, and its verdicts move smoothly",
    };
}
