using ArchGan;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.Model;
using ArchGan.Training;
using TorchSharp;

namespace ArchGan.Tests.Display;

/// <summary>
/// The library's own rich display: ArchGan types carry a name-matched TypeFormatterSourceAttribute, whose
/// formatters the .NET Interactive kernel calls to show them as HTML (that the kernel finds them is tested in the
/// kernel, by ArchGan.Notebooks.Tests). Here: what those formatters write.
/// </summary>
public sealed class NotebookHtmlTests
{
    private static readonly Hyperparameters Tiny = new() { ImageSize = 32, Width = 0.125, BatchSize = 4, Epochs = 1, SampleCount = 4, SampleEvery = 1 };

    // What the kernel's Formatter does with a value whose type names HtmlFormatterSource: ask each formatter in turn.
    private static string Html(object value)
    {
        var writer = new StringWriter();
        foreach (var formatter in new HtmlFormatterSource().CreateTypeFormatters())
        {
            var type = (Type)formatter.GetType().GetProperty("Type")!.GetValue(formatter)!;
            if (type.IsInstanceOfType(value) && (bool)formatter.GetType().GetMethod("Format")!.Invoke(formatter, new object[] { value, writer })!)
                return writer.ToString();
        }
        throw new InvalidOperationException($"No formatter for {value.GetType()}");
    }

    private static void AssertEmbeddedPng(string html)
    {
        Assert.Contains("<img src=\"data:image/png;base64,", html);
        var start = html.IndexOf("base64,", StringComparison.Ordinal) + "base64,".Length;
        var png = Convert.FromBase64String(html[start..html.IndexOf('"', start)]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void A_sample_grid_is_an_embedded_png_with_its_title()
    {
        var html = Html(new SampleGrid(Facades.Generate(4, 32), title: "Four <facades>"));

        AssertEmbeddedPng(html);
        Assert.Contains("Four &lt;facades&gt;", html);
    }

    [Fact]
    public void An_image_set_is_a_grid_that_says_how_many_images_it_shows()
    {
        var html = Html(Facades.Generate(NotebookHtml.MaxImagesShown + 6, 16));

        AssertEmbeddedPng(html);
        Assert.Contains($"{NotebookHtml.MaxImagesShown + 6} images of 16 x 16 (the first {NotebookHtml.MaxImagesShown} shown)", html);
    }

    [Fact]
    public void A_model_summary_is_a_table_with_a_row_per_layer_and_the_totals()
    {
        using var generator = new Generator(Tiny);
        var summary = ModelSummary.Of(generator, Tiny.LatentSize);

        var html = Html(summary);

        Assert.StartsWith("<table", html);
        Assert.Equal(summary.Layers.Count + 2, html.Split("<tr").Length - 1); // header, layers, total
        Assert.Contains(summary.Layers[^1].Shape, html);
        Assert.Contains(summary.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), html);
    }

    [Fact]
    public void A_history_is_a_plotly_chart_that_loads_plotly_from_its_cdn()
    {
        var history = new TrainingHistory();
        for (var i = 0; i < 10; i++) history.Add(new StepResult(1.2f - i * 0.05f, 0.8f + i * 0.1f, 0.6f, 0.4f));

        var html = Html(history);

        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("lossD", html);
        Assert.Contains("D(G(z))", html);
        Assert.Contains("cdn.plot.ly", html); // loaded through require.js, as Plotly.NET.Interactive does
        Assert.True(html.Length < 100_000, $"plotly.js must not be embedded ({html.Length} characters)");
    }

    [Fact]
    public void An_empty_history_says_so_instead_of_drawing_an_empty_chart()
    {
        Assert.Contains("No iterations recorded yet", Html(new TrainingHistory()));
    }

    [Fact]
    public void The_loss_function_chart_and_a_comparison_render_as_charts()
    {
        var history = new TrainingHistory();
        for (var i = 0; i < 20; i++) history.Add(new StepResult(1, 2, 0.5f, 0.5f));

        Assert.Contains("non-saturating", Html(TutorialPlots.LossFunctions()));
        var comparison = Html(TutorialPlots.Compare("lossG", new[] { ("a", history), ("b", history) }, h => h.LossG));
        Assert.Contains("Plotly.newPlot", comparison);
        Assert.Contains("\"name\":\"b\"", comparison);
    }

    [Fact]
    public void A_dashboard_holds_the_status_the_grid_and_the_loss_chart()
    {
        var history = new TrainingHistory();
        for (var i = 0; i < 5; i++) history.Add(new StepResult(1, 2, 0.5f, 0.5f));

        var html = Html(new TrainingDashboard(history, Facades.Generate(4, 32), "epoch 1/1"));

        Assert.Contains("epoch 1/1", html);
        AssertEmbeddedPng(html);
        Assert.Contains("Plotly.newPlot", html);
    }

    [Fact]
    public void A_tensor_of_generated_images_becomes_a_grid()
    {
        using var generator = new Generator(Tiny);
        using var noise = torch.rand(3, Tiny.LatentSize);
        using var images = generator.call(noise);

        var grid = TensorImages.Grid(images, title: "untrained");

        Assert.Equal(3, grid.Images.Count);
        Assert.Equal(2, grid.Scale); // 32 px images are drawn twice as large
        AssertEmbeddedPng(Html(grid));
    }

    [Fact]
    public void A_table_has_one_row_per_item_and_one_column_per_property()
    {
        var html = Html(new[] { new { Run = "a <b>", Seconds = 1.5, Weights = 223523L }, new { Run = "c", Seconds = 2.0, Weights = 7L } }.ToTable("Runs"));

        Assert.StartsWith("<table", html);
        Assert.Contains("<caption", html);
        Assert.Equal(3, html.Split("<tr").Length - 1);
        Assert.Contains(">Seconds</th>", html);
        Assert.Contains("a &lt;b&gt;", html);
        Assert.Contains(">223,523</td>", html);
    }

    [Fact]
    public void Html_that_expects_a_global_Plotly_gets_a_loader()
    {
        var html = NotebookHtml.WithPlotlyLoader("<div id=\"x\"></div><script>Plotly.newPlot('x', [], {});</script>");

        Assert.StartsWith("<div id=\"x\"></div><script>", html);
        Assert.Contains("Plotly.newPlot('x', [], {});", html);
        Assert.Contains("requirejs", html);
        Assert.Contains("cdn.plot.ly/plotly-", html);
        Assert.EndsWith("</script>", html);
    }
}
