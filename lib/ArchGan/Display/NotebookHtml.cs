using System.Globalization;
using System.Net;
using System.Text;
using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;

namespace ArchGan.Display;

/// <summary>
/// The HTML that notebooks show for ArchGan values. Images are embedded PNGs
/// (<c>&lt;img src="data:image/png;base64,…"&gt;</c>), which every notebook front end renders; charts load
/// plotly.js from its CDN rather than embedding it, so a saved notebook stays small, and hold a still picture of
/// themselves until it has loaded, so that a viewer without scripts or network still shows them.
/// </summary>
public static class NotebookHtml
{
    /// <summary>At most this many images of an <see cref="ImageSet"/> are drawn when it is displayed directly.</summary>
    public const int MaxImagesShown = 64;

    /// <summary>An <c>&lt;img&gt;</c> tag holding <paramref name="png"/> inline.</summary>
    public static string Image(byte[] png, string alt = "image", int? width = null) =>
        $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{Encode(alt)}\"" +
        (width is int w ? $" width=\"{w}\"" : "") + " style=\"image-rendering: pixelated; max-width: 100%;\" />";

    /// <summary>The grid as one inline PNG, with its title above it.</summary>
    public static string Of(SampleGrid grid)
    {
        var html = new StringBuilder("<figure style=\"margin: 0.5em 0;\">");
        if (grid.Title is { Length: > 0 } title)
            html.Append("<figcaption style=\"font-family: sans-serif; font-size: 0.95em; margin-bottom: 0.3em;\">")
                .Append(Encode(title)).Append("</figcaption>");
        html.Append(Image(grid.ToPng(), grid.Title ?? $"{grid.Images.Count} images"));
        return html.Append("</figure>").ToString();
    }

    /// <summary>
    /// An image set as a grid: up to <see cref="MaxImagesShown"/> images, enlarged so that each is at least
    /// about 64 pixels on screen, with a caption giving the count and size.
    /// </summary>
    public static string Of(ImageSet images)
    {
        if (images.Count == 0) return "<p><i>An empty image set.</i></p>";
        var shown = images.Count > MaxImagesShown ? images.Take(MaxImagesShown) : images;
        var caption = $"{images.Count} image{(images.Count == 1 ? "" : "s")} of {images.Size} x {images.Size}" +
                      (shown.Count < images.Count ? $" (the first {shown.Count} shown)" : "");
        return Of(new SampleGrid(shown, columns: null, padding: 2, scale: ScaleFor(images.Size), title: caption));
    }

    /// <summary>A run's losses and discriminator outputs as one chart (or a note when nothing was recorded yet).</summary>
    public static string Of(TrainingHistory history) =>
        history.Count == 0
            ? "<p><i>No iterations recorded yet.</i></p>"
            : ChartView.Html(Plots.Training(history));

    /// <summary>A chart, loading plotly.js from its CDN, with a still picture until it has.</summary>
    public static string Of(ChartView chart) => chart.ToHtml();

    /// <summary>The layer table: name, kind, output shape, parameters and multiply-adds, with the totals below.</summary>
    public static string Of(ModelSummary summary)
    {
        const string cell = "padding: 2px 10px; text-align: left;";
        const string number = "padding: 2px 10px; text-align: right; font-variant-numeric: tabular-nums;";
        var html = new StringBuilder();
        html.Append("<table style=\"border-collapse: collapse; font-family: monospace; font-size: 0.9em;\">");
        html.Append("<caption style=\"text-align: left; font-family: sans-serif; font-weight: bold; padding-bottom: 0.3em;\">")
            .Append(Encode(summary.Title)).Append(": input ").Append(string.Join(" x ", summary.InputShape)).Append("</caption>");
        html.Append("<thead><tr style=\"border-bottom: 1px solid #888;\">")
            .Append($"<th style=\"{cell}\">layer</th><th style=\"{cell}\">kind</th><th style=\"{cell}\">output</th>")
            .Append($"<th style=\"{number}\">parameters</th><th style=\"{number}\">multiply-adds</th></tr></thead><tbody>");
        foreach (var layer in summary.Layers)
        {
            html.Append("<tr>")
                .Append($"<td style=\"{cell}\">").Append(Encode(layer.Name)).Append("</td>")
                .Append($"<td style=\"{cell}\">").Append(Encode(layer.Kind)).Append("</td>")
                .Append($"<td style=\"{cell}\">").Append(Encode(layer.Shape)).Append("</td>")
                .Append($"<td style=\"{number}\">").Append(Number(layer.Parameters)).Append("</td>")
                .Append($"<td style=\"{number}\">").Append(Number(layer.MultiplyAdds)).Append("</td>")
                .Append("</tr>");
        }
        html.Append("</tbody><tfoot><tr style=\"border-top: 1px solid #888; font-weight: bold;\">")
            .Append($"<td style=\"{cell}\">total</td><td></td><td></td>")
            .Append($"<td style=\"{number}\">").Append(Number(summary.Parameters)).Append("</td>")
            .Append($"<td style=\"{number}\">").Append(Number(summary.MultiplyAdds)).Append("</td>")
            .Append("</tr></tfoot></table>");
        return html.ToString();
    }

    /// <summary>The live view of a run: status line, fixed-noise grid and loss chart side by side.</summary>
    public static string Of(TrainingDashboard dashboard)
    {
        var html = new StringBuilder("<div style=\"font-family: sans-serif;\">");
        html.Append("<div style=\"margin-bottom: 0.4em;\"><b>").Append(Encode(dashboard.Status)).Append("</b></div>");
        html.Append("<div style=\"display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start;\">");
        if (dashboard.Samples is { Count: > 0 } samples)
        {
            var grid = new SampleGrid(samples, columns: null, padding: 2, scale: ScaleFor(samples.Size), title: dashboard.SamplesTitle);
            html.Append("<div>").Append(Of(grid)).Append("</div>");
        }
        if (dashboard.History.Count > 0)
        {
            var chart = Plots.Losses(dashboard.History);
            html.Append("<div style=\"flex: 1; min-width: 420px;\">").Append(ChartView.Html(chart)).Append("</div>");
        }
        return html.Append("</div></div>").ToString();
    }

    /// <summary>
    /// Makes HTML that calls a global <c>Plotly</c> (as XPlot.Plotly's <c>GetInlineHtml()</c> writes it) work in any
    /// notebook page: its script runs once plotly.js is there, fetched from the CDN through require.js when the page
    /// has require.js (a global script tag would then not define <c>Plotly</c>), or with a script tag otherwise.
    /// Until then the chart's element holds a still picture of it (see <see cref="WithStaticPicture"/>).
    /// </summary>
    public static string WithPlotlyLoader(string html)
    {
        int open = html.IndexOf("<script>", StringComparison.Ordinal), close = html.LastIndexOf("</script>", StringComparison.Ordinal);
        if (open < 0 || close < open) return html;
        var body = html[(open + "<script>".Length)..close];
        var url = ChartView.PlotlyUrl;
        return WithStaticPicture(html[..open] + "<script>\n(function () {\n" +
               "  var draw = function (plotly) { var Plotly = window.Plotly || plotly;\n" + body + "\n  };\n" +
               "  if (window.Plotly) { draw(window.Plotly); return; }\n" +
               $"  if (typeof requirejs === 'function') {{ requirejs.config({{ paths: {{ 'archgan-plotly': '{url}' }} }}); requirejs(['archgan-plotly'], draw); return; }}\n" +
               $"  var script = document.createElement('script'); script.src = '{url}.js'; script.onload = function () {{ draw(window.Plotly); }}; document.head.appendChild(script);\n" +
               "})();\n</script>" + html[(close + "</script>".Length)..]);
    }

    /// <summary>
    /// Puts a still picture of a Plotly chart (<see cref="StaticChart"/>) inside the chart's element and has the script
    /// remove it just before it calls <c>Plotly.newPlot</c>, a line it reaches only once plotly.js has loaded. A viewer
    /// that runs no scripts, or cannot fetch plotly.js, keeps the picture; in a live notebook the chart replaces it.
    /// HTML without a figure to draw (<c>var data = […]</c>) comes back unchanged.
    /// </summary>
    internal static string WithStaticPicture(string html)
    {
        const string draw = "Plotly.newPlot('";
        int call = html.LastIndexOf(draw, StringComparison.Ordinal);
        if (call < 0 || StaticChart.FromHtml(html) is not { } picture) return html;
        var id = html[(call + draw.Length)..html.IndexOf('\'', call + draw.Length)];
        int element = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        if (element < 0 || element > call) return html;
        int inside = html.IndexOf('>', element) + 1;
        var still = id + "-static";
        // A function of its own, so that no variable of the chart's script is shadowed or redefined.
        return html[..inside] + picture.ToImgTag(still) + html[inside..call] +
               $"(function (still) {{ if (still) still.parentNode.removeChild(still); }})(document.getElementById('{still}')); " + html[call..];
    }

    /// <summary>How many times to enlarge images of <paramref name="size"/> so they are about 64 pixels or more on screen.</summary>
    internal static int ScaleFor(int size) => Math.Max(1, 64 / size);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
