using ArchGan.Platform;
using Plotly.NET;

namespace ArchGan.Display;

/// <summary>
/// A Plotly.NET chart that a notebook shows inline as HTML, loading plotly.js from its CDN (so a saved notebook
/// stays small), with a still picture of itself (<see cref="StaticChart"/>) for viewers where that never happens.
/// Plotly.NET's own notebook formatter lives in Plotly.NET.Interactive; wrapping the chart makes it render with just
/// Plotly.NET and this library: <c>Plots.Losses(history).Inline()</c>.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class ChartView
{
    /// <summary>Wraps <paramref name="chart"/>.</summary>
    public ChartView(GenericChart chart) => Chart = chart ?? throw new ArgumentNullException(nameof(chart));

    /// <summary>The chart itself, to style further or save with <see cref="Plots.SaveHtml"/>.</summary>
    public GenericChart Chart { get; }

    /// <summary>
    /// The HTML fragment a notebook shows: a picture of the chart, and a loader that fetches plotly.js (via require.js)
    /// from its CDN once and then draws the chart in the picture's place.
    /// </summary>
    public string ToHtml() => Html(Chart);

    /// <summary>plotly.js on its CDN, without ".js" (the form require.js wants), at the version Plotly.NET was built for.</summary>
    internal static string PlotlyUrl { get; } = $"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min";

    /// <summary>
    /// The notebook HTML of any Plotly.NET chart: what Plotly.NET.Interactive writes, a fragment that loads plotly.js
    /// from its CDN with require.js (itself loaded when missing), plus a still picture of the chart that stays where
    /// plotly.js never arrives. <see cref="Plots.ToInlineHtml"/> alone assumes plotly.js is already on the page, which
    /// is true only where that package's formatter put it there.
    /// </summary>
    public static string Html(GenericChart chart)
    {
        var options = (DisplayOptions)FSharpInterop.Call(typeof(DisplayOptions), "init", Type.EmptyTypes,
            ("PlotlyJSReference", PlotlyJSReference.NewRequire(PlotlyUrl)));
        return NotebookHtml.WithStaticPicture(GenericChart.toChartHTML(Plotly.NET.Chart.withDisplayOptions(options).Invoke(chart)));
    }
}
