using System.Text;
using ArchGan.IO;
using ArchGan.Platform;
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
        chart = Chart.withTemplate(LineTemplate).Invoke(chart);
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
        var kept = Thin(history.Count);
        var x = kept.Select(i => (double)(i + 1)).ToArray();
        return Series(title, "iteration", yTitle,
            series.Select(s =>
            {
                var smooth = TrainingHistory.Smooth(s.Values, window);
                return (s.Name, x, kept.Select(i => smooth[i]).ToArray());
            }).ToArray());
    }

    // Plotly.NET's default look (its "plotly" template) for the layout only. The full template also styles
    // two dozen other kinds of trace, and turning it into JSON allocates tens of megabytes each time a chart
    // is drawn or saved, which a training run does at every checkpoint; lines look the same without it.
    private static readonly Template LineTemplate = LayoutOnly(ChartTemplates.plotly);

    private static Template LayoutOnly(Template template)
    {
        var lean = new Template();
        lean.SetProperty("layout", template.GetPropertyValue("layout"));
        return lean;
    }

    /// <summary>The most points a training chart draws per line; longer runs are thinned evenly.</summary>
    public const int MaxPoints = 1000;

    // Every k-th iteration and the last, so that a line has at most MaxPoints points. A chart is 760 pixels
    // wide: more points change nothing on screen but the size of the page and the work to build it, which a
    // run repeats at every checkpoint.
    private static int[] Thin(int count)
    {
        int stride = (count + MaxPoints - 1) / MaxPoints;
        if (stride <= 1) return Enumerable.Range(0, count).ToArray();
        var kept = Enumerable.Range(1, count / stride).Select(k => k * stride - 1).ToList();
        if (kept[^1] != count - 1) kept.Add(count - 1);
        return kept.ToArray();
    }

    private static GenericChart Style(GenericChart chart, string title, string xTitle, string yTitle)
    {
        chart = Chart.withTitle(title, null).Invoke(chart);
        chart = Chart.withTemplate(LineTemplate).Invoke(chart);
        chart = FSharpInterop.Apply(FSharpInterop.Call(typeof(Chart), "withXAxisStyle", ThreeObjects, ("TitleText", xTitle)), chart);
        chart = FSharpInterop.Apply(FSharpInterop.Call(typeof(Chart), "withYAxisStyle", ThreeObjects, ("TitleText", yTitle)), chart);
        return Chart.withSize(760.0, 380.0).Invoke(chart);
    }

    /// <summary>Writes <paramref name="chart"/> as a self-contained HTML page (plotly.js embedded, so it opens offline).</summary>
    public static string SaveHtml(GenericChart chart, string path)
    {
        AtomicFile.Write(path, stream => WriteStandaloneHtml(chart, stream));
        return path;
    }

    /// <summary>A whole HTML page for <paramref name="chart"/> with plotly.js embedded.</summary>
    public static string ToStandaloneHtml(GenericChart chart)
    {
        using var page = new MemoryStream();
        WriteStandaloneHtml(chart, page);
        return Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
    }

    // The page is assembled here rather than by Plotly.NET's toEmbeddedHTML, which builds the megabytes of
    // plotly.js into strings several times over for every page, and a training run rewrites its loss chart at
    // every checkpoint, so its process grew by that much each time. The library is copied from
    // Plotly.NET's own resource straight into the file.
    private static void WriteStandaloneHtml(GenericChart chart, Stream output)
    {
        var options = (DisplayOptions)FSharpInterop.Call(typeof(DisplayOptions), "init", Type.EmptyTypes, ("PlotlyJSReference", PlotlyJSReference.NoReference));
        var body = GenericChart.toChartHTML(Chart.withDisplayOptions(options).Invoke(chart));
        using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        writer.Write("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>ArchGan</title><script type=\"text/javascript\">\n");
        writer.Flush();
        var assembly = typeof(GenericChart).Assembly;
        using (var library = assembly.GetManifestResourceStream(PlotlyJsResource)!)
            library.CopyTo(output);
        writer.Write("\n</script></head><body>\n");
        writer.Write(body);
        writer.Write("\n</body></html>\n");
    }

    private static readonly string PlotlyJsResource = typeof(GenericChart).Assembly.GetManifestResourceNames()
        .Single(name => name.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && name.EndsWith(".min.js", StringComparison.Ordinal));

    /// <summary>An HTML fragment for <paramref name="chart"/> that loads plotly.js from its CDN: what a notebook shows inline.</summary>
    public static string ToInlineHtml(GenericChart chart) => GenericChart.toChartHTML(chart);

    // The axis-style methods are generic in the types of range and category values, which we never set.
    private static readonly Type[] ThreeObjects = { typeof(double), typeof(double), typeof(string) };
}
