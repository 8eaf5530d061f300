using ArchGan.Display;
using ArchGan.Training;
using Plotly.NET;

namespace ArchGan.Tests.Display;

public class PlotsTests
{
    private static TrainingHistory History(int iterations)
    {
        var history = new TrainingHistory();
        var random = new Random(3);
        for (int i = 0; i < iterations; i++)
            history.Add(new StepResult(1 + random.NextSingle(), 2 + random.NextSingle(), random.NextSingle(), random.NextSingle()));
        return history;
    }

    private static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    [Fact]
    public void A_saved_page_holds_plotly_js_once_and_then_the_chart_that_uses_it()
    {
        var path = Path.Combine(TestData.TempDirectory(), "losses.html");
        Plots.SaveHtml(Plots.Training(History(50)), path);
        var page = File.ReadAllText(path);
        var library = PlotlyJs();

        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.EndsWith("</html>\n", page);
        int at = page.IndexOf(library, StringComparison.Ordinal);
        Assert.True(at > 0, "the page should embed plotly.js whole, so it opens offline");
        Assert.Equal(-1, page.IndexOf(library, at + 1, StringComparison.Ordinal));
        // The chart is drawn after the library is defined, and names both charts' series.
        int draw = page.LastIndexOf("Plotly.newPlot(", StringComparison.Ordinal);
        Assert.True(draw > at + library.Length, "Plotly.newPlot must come after the library");
        Assert.Contains("lossD", page);
        Assert.Contains("D(G(z))", page);
        // Plotly.NET's default look is kept: its template's plot background.
        Assert.Contains("\"plot_bgcolor\":\"rgba(229, 236, 246, 1.0)\"", page[(at + library.Length)..]);

        var text = Plots.ToStandaloneHtml(Plots.Training(History(50)));
        Assert.StartsWith("<!DOCTYPE html>", text);
        Assert.Contains(library, text);
    }

    [Fact]
    public void A_long_run_is_drawn_with_at_most_MaxPoints_per_line_ending_at_its_last_iteration()
    {
        var history = History(5003);
        var json = GenericChart.toChartHTML(Plots.Losses(history, smoothing: 1));
        var x = XValues(json).ToArray();
        Assert.InRange(x.Length, Plots.MaxPoints / 2, Plots.MaxPoints + 1);
        Assert.Equal(5003, x[^1]);
        Assert.True(x.Zip(x.Skip(1)).All(p => p.Second > p.First));
        // With no smoothing the drawn values are the recorded ones at the drawn iterations.
        var y = YValues(json).ToArray();
        Assert.Equal(history.LossD[(int)x[1] - 1], y[1], 5);

        var short_ = XValues(GenericChart.toChartHTML(Plots.Losses(History(300), smoothing: 1))).ToArray();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (double)i), short_);
    }

    // The first line's "x" and "y" arrays in the chart's JSON.
    private static IEnumerable<double> XValues(string html) => Array(html, "\"x\":[");
    private static IEnumerable<double> YValues(string html) => Array(html, "\"y\":[");
    private static IEnumerable<double> Array(string html, string key)
    {
        int start = html.IndexOf(key, StringComparison.Ordinal) + key.Length;
        return html[start..html.IndexOf(']', start)].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Rewriting_a_long_runs_loss_page_allocates_little()
    {
        // A training run rewrites this page at every checkpoint. Plotly.NET's own embedded page allocated
        // about 150 MB per page (the 3.6 MB library copied through several strings), which showed up as the
        // training process growing by that much.
        var chart = Plots.Training(History(5000));
        var path = Path.Combine(TestData.TempDirectory(), "losses.html");
        Plots.SaveHtml(chart, path); // first use loads types and the resource name
        long before = GC.GetAllocatedBytesForCurrentThread();
        Plots.SaveHtml(chart, path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 24L << 20, $"writing the page allocated {allocated >> 20} MB");
        Assert.True(new FileInfo(path).Length > 3_000_000);
    }
}
