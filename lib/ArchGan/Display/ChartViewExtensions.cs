using ArchGan.Platform;
using Plotly.NET;

namespace ArchGan.Display;

/// <summary><c>chart.Inline()</c>: the notebook-friendly form of a Plotly.NET chart.</summary>
public static class ChartViewExtensions
{
    /// <summary>Wraps <paramref name="chart"/> so a notebook renders it inline (plotly.js from its CDN).</summary>
    public static ChartView Inline(this GenericChart chart) => new(chart);
}
