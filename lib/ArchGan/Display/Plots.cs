using ArchGan.Training;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Chart2D = Plotly.NET.Chart2D_Scatter.Chart;

namespace ArchGan.Display;

/// <summary>
/// Plotly.NET charts of a training run: the two losses, and D(x) against D(G(z)). In a notebook a chart
/// displays inline; <see cref="SaveHtml"/> writes a page that works offline (plotly.js embedded).
/// </summary>
public static class Plots
{
    /// <summary>
    /// D loss and G loss per iteration, with a trailing mean over <paramref name="smoothing"/> iterations
    /// (GAN losses jump around; the trend is what to read). 0 picks about 1% of the run.
    /// </summary>
    public static GenericChart Losses(TrainingHistory history, int smoothing = 0) =>
        Lines("Losses", "loss", history, smoothing, ("lossD", history.LossD), ("lossG", history.LossG));

    /// <summary>
    /// Mean D(x) and D(G(z)) per iteration. At the game's equilibrium both sit near 0.5; D(x) near 1 with
    /// D(G(z)) near 0 means the discriminator wins and the generator learns little.
    /// </summary>
    public static GenericChart DiscriminatorOutputs(TrainingHistory history, int smoothing = 0) =>
        Lines("Discriminator outputs", "probability of 'real'", history, smoothing, ("D(x)", history.DReal), ("D(G(z))", history.DFake));

    /// <summary>Both charts of a run, stacked: the losses above, D(x) and D(G(z)) below.</summary>
    public static GenericChart Training(TrainingHistory history, int smoothing = 0)
    {
        var grid = (FSharpFunc<IEnumerable<GenericChart>, GenericChart>)FSharpInterop.Call(typeof(Chart), "Grid",
            new[] { typeof(IEnumerable<string>), typeof(IEnumerable<GenericChart>) }, ("nRows", 2), ("nCols", 1));
        var chart = grid.Invoke(new[] { Losses(history, smoothing), DiscriminatorOutputs(history, smoothing) });
        chart = Chart.withTitle("Training", null).Invoke(chart);
        return Chart.withSize(760.0, 680.0).Invoke(chart);
    }

    /// <summary>Several named series of y against x on one chart: the general tool behind the others.</summary>
    public static GenericChart Series(string title, string xTitle, string yTitle, params (string Name, double[] X, double[] Y)[] series)
    {
        var lines = series.Select(s => (GenericChart)FSharpInterop.Call(typeof(Chart2D), "Line",
            new[] { typeof(double), typeof(double), typeof(string) }, ("x", s.X), ("y", s.Y), ("Name", s.Name)));
        var chart = GenericChart.combine(lines);
        return Style(chart, title, xTitle, yTitle);
    }

    private static GenericChart Lines(string title, string yTitle, TrainingHistory history, int smoothing, params (string Name, float[] Values)[] series)
    {
        int window = smoothing > 0 ? smoothing : Math.Max(1, history.Count / 100);
        var x = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        return Series(title, "iteration", yTitle,
            series.Select(s => (s.Name, x, TrainingHistory.Smooth(s.Values, window))).ToArray());
    }

    private static GenericChart Style(GenericChart chart, string title, string xTitle, string yTitle)
    {
        chart = Chart.withTitle(title, null).Invoke(chart);
        chart = FSharpInterop.Apply(FSharpInterop.Call(typeof(Chart), "withXAxisStyle", ThreeObjects, ("TitleText", xTitle)), chart);
        chart = FSharpInterop.Apply(FSharpInterop.Call(typeof(Chart), "withYAxisStyle", ThreeObjects, ("TitleText", yTitle)), chart);
        return Chart.withSize(760.0, 380.0).Invoke(chart);
    }

    /// <summary>Writes <paramref name="chart"/> as a self-contained HTML page (plotly.js embedded, so it opens offline).</summary>
    public static string SaveHtml(GenericChart chart, string path)
    {
        AtomicFile.WriteAllText(path, ToStandaloneHtml(chart));
        return path;
    }

    /// <summary>A whole HTML page for <paramref name="chart"/> with plotly.js embedded.</summary>
    public static string ToStandaloneHtml(GenericChart chart)
    {
        var options = (DisplayOptions)FSharpInterop.Call(typeof(DisplayOptions), "init", Type.EmptyTypes, ("PlotlyJSReference", PlotlyJSReference.Full));
        return GenericChart.toEmbeddedHTML(Chart.withDisplayOptions(options).Invoke(chart));
    }

    /// <summary>An HTML fragment for <paramref name="chart"/> that loads plotly.js from its CDN: what a notebook shows inline.</summary>
    public static string ToInlineHtml(GenericChart chart) => GenericChart.toChartHTML(chart);

    // The axis-style methods are generic in the types of range and category values, which we never set.
    private static readonly Type[] ThreeObjects = { typeof(double), typeof(double), typeof(string) };
}
