using System.Diagnostics;
using System.Text.RegularExpressions;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.Training;
using SkiaSharp;

namespace ArchGan.Tests.Display;

/// <summary>
/// Every chart a notebook shows holds a still picture of itself, for viewers that run no scripts or cannot fetch
/// plotly.js, and gives it up to the interactive chart only once plotly.js has loaded.
/// </summary>
public class StaticChartTests
{
    // Plotly.NET's template colours the first traces of a figure these; plotly.js's own first colours follow.
    private static readonly SKColor Blue = SKColor.Parse("#636efa"), Red = SKColor.Parse("#ef553b"),
        Green = SKColor.Parse("#00cc96"), Purple = SKColor.Parse("#ab63fa"), PlotlyJsBlue = SKColor.Parse("#1f77b4");

    private static TrainingHistory History(int iterations)
    {
        var history = new TrainingHistory();
        var random = new Random(5);
        for (int i = 0; i < iterations; i++)
            history.Add(new StepResult(1 + random.NextSingle(), 2 + random.NextSingle(), 0.7f + 0.2f * random.NextSingle(), 0.1f + 0.2f * random.NextSingle()));
        return history;
    }

    // An XPlot.Plotly chart's GetInlineHtml(): a global Plotly, plain-string titles, no template.
    private const string XPlotHtml = """
        <div id="xplot-chart" style="width: 760px; height: 380px;"></div>
                <script>
                    var data = [{"type":"scatter","x":[1,2,3,4],"y":[1.0,3.0,2.0,2.5],"mode":"lines","name":"lossD"}];
                   var layout = {"title":"Losses (XPlot.Plotly)","xaxis":{"title":"iteration","_isSubplotObj":true},"yaxis":{"title":"loss","_isSubplotObj":true}};
                   Plotly.newPlot('xplot-chart', data, layout);
                </script>
        """;

    /// <summary>The picture inside the chart's element (the one the script draws into), decoded.</summary>
    private static SKBitmap Picture(string html)
    {
        var id = Regex.Match(html, @"Plotly\.newPlot\('([^']+)'").Groups[1].Value;
        Assert.NotEqual("", id);
        var inside = Regex.Match(html, $"<div id=\"{Regex.Escape(id)}\"[^>]*><img id=\"{Regex.Escape(id)}-static\" src=\"data:image/png;base64,([^\"]+)\" alt=\"[^\"]+\"");
        Assert.True(inside.Success, "the chart's element should start with an inline PNG of the chart");
        var bitmap = SKBitmap.Decode(Convert.FromBase64String(inside.Groups[1].Value));
        Assert.NotNull(bitmap);
        return bitmap;
    }

    // Pixels close to `color` (antialiased edges are not exact) from `top` to `bottom` and `left` to `right`, as
    // fractions of the picture's height and width.
    private static int Count(SKBitmap bitmap, SKColor color, double top = 0, double bottom = 1, double left = 0, double right = 1)
    {
        int count = 0;
        for (int y = (int)(top * bitmap.Height); y < (int)(bottom * bitmap.Height); y++)
            for (int x = (int)(left * bitmap.Width); x < (int)(right * bitmap.Width); x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.Red) + Math.Abs(p.Green - color.Green) + Math.Abs(p.Blue - color.Blue) < 40) count++;
            }
        return count;
    }

    [Fact]
    public void A_charts_html_holds_a_picture_of_it_at_the_charts_size_drawn_in_its_trace_colours()
    {
        using var picture = Picture(ChartView.Html(Plots.Losses(History(300))));

        Assert.Equal((760, 380), (picture.Width, picture.Height));
        var colors = new HashSet<SKColor>();
        for (int y = 0; y < picture.Height; y += 3)
            for (int x = 0; x < picture.Width; x += 3)
                colors.Add(picture.GetPixel(x, y));
        Assert.True(colors.Count > 20, $"the picture has {colors.Count} colours");
        Assert.True(Count(picture, Blue) > 300, "lossD's line should be drawn");
        Assert.True(Count(picture, Red) > 300, "lossG's line should be drawn");
    }

    [Fact]
    public void Each_of_two_lines_is_drawn_in_its_own_colour_where_its_values_put_it()
    {
        var x = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var chart = Plots.Series("two lines", "x", "y", ("high", x, x.Select(v => 10 + v / 50).ToArray()), ("low", x, x.Select(v => v / 50).ToArray()));

        using var picture = Picture(ChartView.Html(chart));

        Assert.True(Count(picture, Blue, 0, 0.5) > 200, "the first line is high");
        Assert.Equal(0, Count(picture, Blue, 0.6, 1));
        Assert.True(Count(picture, Red, 0.5, 1) > 200, "the second line is low");
        // The legend, at the top right, holds a swatch of each colour; the plot's upper half holds no red.
        Assert.True(Count(picture, Red, 0, 0.5) < 100);
    }

    [Fact]
    public void Subplots_of_a_grid_are_stacked_panels_each_with_its_own_lines()
    {
        var history = History(200);
        var chart = Plots.Training(history);

        using var picture = Picture(ChartView.Html(chart));

        Assert.Equal((760, 680), (picture.Width, picture.Height));
        // Losses above, D(x) and D(G(z)) below; the legend's swatches sit at the top, in the first rows.
        Assert.True(Count(picture, Blue, 0.1, 0.5) > 200 && Count(picture, Red, 0.1, 0.5) > 200);
        Assert.Equal(0, Count(picture, Blue, 0.5, 1) + Count(picture, Red, 0.5, 1));
        Assert.True(Count(picture, Green, 0.5, 1) > 200 && Count(picture, Purple, 0.5, 1) > 200);
        Assert.Equal(0, Count(picture, Green, 0.2, 0.5) + Count(picture, Purple, 0.2, 0.5));
        var still = StaticChart.Of(chart);
        Assert.Equal(new[] { "lossD", "lossG", "D(x)", "D(G(z))" }, still.TraceNames);
        Assert.True(still.ToPng().Length < 100_000, "a notebook holds a dozen of these");
    }

    [Fact]
    public void The_picture_is_removed_only_inside_the_callback_that_plotly_js_loading_calls()
    {
        var html = ChartView.Html(Plots.Losses(History(20)));
        var id = Regex.Match(html, @"Plotly\.newPlot\('([^']+)'").Groups[1].Value;
        var removal = $"document.getElementById('{id}-static')";

        int callback = html.IndexOf("fsharpPlotlyRequire(['plotly'], function(Plotly) {", StringComparison.Ordinal);
        int removed = html.IndexOf(removal, StringComparison.Ordinal);
        int drawn = html.IndexOf($"Plotly.newPlot('{id}'", StringComparison.Ordinal);
        Assert.True(callback > 0 && callback < removed && removed < drawn, "the picture goes in require's callback, just before the chart is drawn");
        Assert.Equal(removed, html.LastIndexOf(removal, StringComparison.Ordinal));

        var xplot = NotebookHtml.WithPlotlyLoader(XPlotHtml);
        int draw = xplot.IndexOf("var draw = function (plotly) {", StringComparison.Ordinal);
        int end = xplot.IndexOf("\n  };\n", draw, StringComparison.Ordinal);
        removed = xplot.IndexOf("document.getElementById('xplot-chart-static')", StringComparison.Ordinal);
        Assert.True(draw > 0 && draw < removed && removed < xplot.IndexOf("Plotly.newPlot('xplot-chart'", StringComparison.Ordinal) && removed < end,
            "the picture goes in draw, which runs once Plotly is defined");
    }

    [NodeFact]
    public void In_a_page_the_picture_stays_until_plotly_js_has_loaded_and_then_gives_way_to_the_chart()
    {
        foreach (var (html, id) in new[]
                 {
                     (ChartView.Html(Plots.Losses(History(20))), (string?)null),
                     (NotebookHtml.WithPlotlyLoader(XPlotHtml), "xplot-chart"),
                 })
        {
            var chart = id ?? Regex.Match(html, @"Plotly\.newPlot\('([^']+)'").Groups[1].Value;
            Assert.Equal($"offline|removed {chart}-static|plotted {chart}", RunInFakePage(html));
        }
    }

    // Runs a fragment's scripts in node against a minimal DOM: first with nothing loadable, as offline, then
    // with require.js and plotly.js arriving (the onload of every script the fragment added). Returns the log.
    private static string RunInFakePage(string html)
    {
        const string page = """
            const html = require('fs').readFileSync(process.argv[2], 'utf8');
            const ids = new Set([...html.matchAll(/id="([^"]+)"/g)].map(m => m[1]));
            const log = [], added = [];
            globalThis.window = globalThis;
            globalThis.document = {
              getElementById: id => ids.has(id) ? { id, parentNode: { removeChild: c => { ids.delete(c.id); log.push('removed ' + c.id); } } } : null,
              createElement: () => ({ setAttribute(name, value) { this[name] = value; } }),
              getElementsByTagName: () => [{ appendChild: s => added.push(s) }],
              head: { appendChild: s => added.push(s) },
            };
            for (const m of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) (0, eval)(m[1]);
            log.push('offline');
            const plotly = { newPlot: id => log.push('plotted ' + id) };
            globalThis.requirejs = (modules, callback) => callback(plotly);
            requirejs.config = () => requirejs;
            globalThis.Plotly = plotly;
            while (added.length) added.shift().onload();
            console.log(log.join('|'));
            """;
        var folder = TestData.TempDirectory();
        File.WriteAllText(Path.Combine(folder, "page.js"), page);
        File.WriteAllText(Path.Combine(folder, "chart.html"), html);
        using var node = Process.Start(new ProcessStartInfo(NodeFactAttribute.Node!, new[] { "page.js", "chart.html" })
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, error);
        return output.Trim();
    }

    [Fact]
    public void Every_chart_the_notebooks_show_carries_its_picture()
    {
        var history = History(120);
        var shown = new Dictionary<string, string>
        {
            ["a history"] = NotebookHtml.Of(history),
            ["a dashboard"] = new TrainingDashboard(history, Facades.Generate(4, 32), "epoch 1/1").ToHtml(),
            ["the loss functions"] = TutorialPlots.LossFunctions().ToHtml(),
            ["a comparison"] = TutorialPlots.Compare("lossG", new[] { ("a", history), ("b", History(60)) }, h => h.LossG).ToHtml(),
            ["an XPlot.Plotly chart"] = NotebookHtml.WithPlotlyLoader(XPlotHtml),
        };
        foreach (var (what, html) in shown)
        {
            using var picture = Picture(html);
            Assert.True(picture.Width >= 760 && picture.Height >= 380, $"{what}: {picture.Width} x {picture.Height}");
            Assert.DoesNotContain("plotly.js v", html);
        }
    }

    [Fact]
    public void A_figure_without_a_template_takes_plotly_js_colours_and_plain_string_titles()
    {
        var still = StaticChart.FromHtml(XPlotHtml);

        Assert.NotNull(still);
        Assert.Equal("Losses (XPlot.Plotly)", still.Title);
        Assert.Equal("Chart: Losses (XPlot.Plotly) (lossD)", still.Description);
        using var picture = SKBitmap.Decode(still.ToPng());
        Assert.True(Count(picture, PlotlyJsBlue) > 200);
        Assert.Equal(0, Count(picture, Blue));
    }

    [Fact]
    public void The_text_is_drawn_in_a_font_that_has_its_characters()
    {
        Assert.True(StaticChart.CanWrite("Losses lossD D(G(z)) −log(1 − p) iteration 0123456789.-"));
        var x = new[] { 1.0, 2, 3 };
        using var titled = SKBitmap.Decode(StaticChart.Of(Plots.Series("A title", "", "", ("a", x, x))).ToPng());
        using var untitled = SKBitmap.Decode(StaticChart.Of(Plots.Series("", "", "", ("a", x, x))).ToPng());
        var ink = new SKColor(42, 63, 95);
        Assert.True(Count(titled, ink, 0, 0.1, 0.05, 0.3) > 20, "the title should be written above the plot, at the left");
        Assert.Equal(0, Count(untitled, ink, 0, 0.1, 0.05, 0.3));
    }

    [Fact]
    public void Html_without_a_figure_is_left_alone_and_gaps_or_single_points_still_make_a_picture()
    {
        const string html = "<div id=\"x\"></div><script>Plotly.newPlot('x', [], {});</script>";
        Assert.Equal(html, NotebookHtml.WithStaticPicture(html));
        Assert.DoesNotContain("<img", NotebookHtml.WithPlotlyLoader(html));
        Assert.Null(StaticChart.FromHtml(html));

        var x = new[] { 1.0, 2, 3, 4, 5, 6, 7, 8 };
        var chart = Plots.Series("gaps", "x", "y", ("a", x, new[] { 1, 2, double.NaN, 3, 4, double.PositiveInfinity, 2, 1 }));
        using var picture = Picture(ChartView.Html(chart));
        Assert.True(Count(picture, Blue) > 100);

        // A run of one iteration has no line to draw, and still shows where its values are.
        using var single = Picture(ChartView.Html(Plots.Losses(History(1))));
        Assert.True(Count(single, Blue, right: 0.85) > 0 && Count(single, Red, right: 0.85) > 0, "a dot for each line, left of the legend");
    }
}

/// <summary>A fact that is skipped when node (to run a chart's scripts) is not on the PATH.</summary>
internal sealed class NodeFactAttribute : FactAttribute
{
    public static string? Node { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? "node.exe" : "node")).FirstOrDefault(File.Exists);

    public NodeFactAttribute()
    {
        if (Node is null) Skip = "node is not on the PATH";
    }
}
