using ArchGan.Training;

namespace ArchGan.Display;

/// <summary>
/// Charts that explain rather than monitor: the GAN loss functions of the tutorial's step 5 and comparisons of
/// several runs for step 9. Each returns a <see cref="ChartView"/>, which a notebook renders inline.
/// </summary>
public static class TutorialPlots
{
    /// <summary>
    /// The four cross-entropy terms against D's output p (its probability of "real"):
    /// D's loss on a real image, −log p; D's loss on a fake, −log(1 − p); the generator's original minimax
    /// loss log(1 − p); and the non-saturating loss −log p that GanTrainer uses. Near p = 0, where an untrained
    /// generator starts, the minimax curve is flat (tiny gradients) and the non-saturating one is steep.
    /// </summary>
    public static ChartView LossFunctions(int points = 199)
    {
        var p = Enumerable.Range(1, points).Select(i => i / (double)(points + 1)).ToArray();
        return Plots.Series("GAN losses against D's output", "D's output p (probability of 'real')", "loss",
            ("D on a real image: −log p", p, p.Select(v => -Math.Log(v)).ToArray()),
            ("D on a fake image: −log(1 − p)", p, p.Select(v => -Math.Log(1 - v)).ToArray()),
            ("G, minimax: log(1 − p)", p, p.Select(v => Math.Log(1 - v)).ToArray()),
            ("G, non-saturating: −log p", p, p.Select(v => -Math.Log(v)).ToArray())).Inline();
    }

    /// <summary>
    /// The generator's two losses on a fake, against D's logit s for it (p = sigmoid(s)), with their slopes:
    /// minimax log(1 − p), whose slope is −p, and non-saturating −log p, whose slope is −(1 − p). Where D rejects a
    /// fake (s well below 0) the minimax curve is flat and its slope near 0, so G learns almost nothing from the
    /// images D is surest about; the non-saturating slope is near −1 there. Against p the saturation does not show,
    /// since log(1 − p) has slope −1 at p = 0: it is the sigmoid between logit and p that flattens it.
    /// </summary>
    public static ChartView GeneratorLossesAgainstLogit(double range = 8, int points = 161)
    {
        var s = Enumerable.Range(0, points).Select(i => -range + 2 * range * i / (points - 1)).ToArray();
        var p = s.Select(Sigmoid).ToArray();
        return Plots.Series("The generator's losses on a fake, against D's logit for it", "D's logit s for a fake (below 0: D calls it fake)", "loss, or its slope d/ds",
            ("G, minimax: log(1 − p)", s, s.Select(v => -Softplus(v)).ToArray()),
            ("G, non-saturating: −log p", s, s.Select(v => Softplus(-v)).ToArray()),
            ("slope of minimax: −p", s, p.Select(v => -v).ToArray()),
            ("slope of non-saturating: −(1 − p)", s, p.Select(v => -(1 - v)).ToArray())).Inline();
    }

    /// <summary>
    /// The one-dimensional game of <see cref="OptimalDiscriminator"/>: the real density N(0, 1), the generator's
    /// N(<paramref name="shift"/>, 1), and the optimal discriminator D* between them.
    /// </summary>
    public static ChartView OptimalDiscriminator(double shift)
    {
        double from = Math.Min(0, shift) - 4, to = Math.Max(0, shift) + 4;
        var x = Enumerable.Range(0, 241).Select(i => from + (to - from) * i / 240).ToArray();
        return Plots.Series($"Real data N(0, 1), generator N({shift}, 1), and the best D against this G", "x", "density, or D*(x)",
            ("p_data", x, x.Select(v => Training.OptimalDiscriminator.Density(v, 0)).ToArray()),
            ("p_g", x, x.Select(v => Training.OptimalDiscriminator.Density(v, shift)).ToArray()),
            ("D* = p_data / (p_data + p_g)", x, x.Select(v => Training.OptimalDiscriminator.Of(Training.OptimalDiscriminator.Density(v, 0), Training.OptimalDiscriminator.Density(v, shift))).ToArray())).Inline();
    }

    private static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    // log(1 + e^s) without overflow for large s.
    private static double Softplus(double s) => Math.Max(s, 0) + Math.Log(1 + Math.Exp(-Math.Abs(s)));

    /// <summary>
    /// One quantity of several runs on one chart, against the iteration, each smoothed over a trailing window
    /// (0: about 2% of the longest run): e.g. <c>Compare("lossG", runs, h =&gt; h.LossG)</c>.
    /// </summary>
    public static ChartView Compare(string quantity, IEnumerable<(string Name, TrainingHistory History)> runs,
        Func<TrainingHistory, float[]> select, int smoothing = 0)
    {
        var list = runs.ToList();
        int longest = list.Count == 0 ? 0 : list.Max(r => r.History.Count);
        int window = smoothing > 0 ? smoothing : Math.Max(1, longest / 50);
        var series = list.Select(r =>
        {
            var values = select(r.History);
            var x = Enumerable.Range(1, values.Length).Select(i => (double)i).ToArray();
            return (r.Name, x, TrainingHistory.Smooth(values, window));
        }).ToArray();
        return Plots.Series($"{quantity} by run", "iteration", quantity, series).Inline();
    }

    /// <summary>Named series of y against x as an inline chart (<see cref="Plots.Series"/>, wrapped).</summary>
    public static ChartView Lines(string title, string xTitle, string yTitle, params (string Name, double[] X, double[] Y)[] series) =>
        Plots.Series(title, xTitle, yTitle, series).Inline();
}
