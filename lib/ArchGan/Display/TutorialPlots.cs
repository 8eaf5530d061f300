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
