using Microsoft.DotNet.Interactive.Formatting;

namespace ArchGan.Notebooks;

/// <summary>
/// Turns values into mime-typed text the way the kernel does: the mime types the Formatter prefers for the
/// value's type (text/plain for strings, text/html for other objects, or what a TypeFormatterSourceAttribute
/// declares) unless the caller names some.
/// </summary>
internal static class ValueFormatting
{
    private static readonly object s_gate = new();
    private static bool s_initialized;

    /// <summary>
    /// Registers the chart formatters that Plotly.NET.Interactive and XPlot.Plotly.Interactive would register in
    /// the real kernel; neither package is on the feed, and without them a chart would render as a property table.
    /// </summary>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            if (s_initialized)
            {
                return;
            }
            Formatter.Register<Plotly.NET.GenericChart>(
                (chart, writer) => writer.Write(Plotly.NET.GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
            Formatter.Register<XPlot.Plotly.PlotlyChart>(
                (chart, writer) => writer.Write(chart.GetInlineHtml()), HtmlFormatter.MimeType);
            s_initialized = true;
        }
    }

    public static IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyCollection<string>? mimeTypes)
    {
        EnsureInitialized();
        if (value is null)
        {
            return new Dictionary<string, string> { [PlainTextFormatter.MimeType] = Formatter.NullString };
        }
        var types = mimeTypes is { Count: > 0 } ? mimeTypes : Formatter.GetPreferredMimeTypesFor(value.GetType());
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mimeType in types)
        {
            data[mimeType] = mimeType.StartsWith("image/", StringComparison.Ordinal) && value is byte[] bytes
                ? Convert.ToBase64String(bytes)
                : Formatter.ToDisplayString(value, mimeType);
        }
        return data;
    }
}
