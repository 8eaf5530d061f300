using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Plotly.NET;
using SkiaSharp;

namespace ArchGan.Display;

/// <summary>
/// A still picture of a Plotly chart's lines, drawn with SkiaSharp: what a notebook shows where plotly.js does not
/// run (a static viewer, a page opened offline). It reads the figure's JSON, the form plotly.js itself reads, so
/// one reader serves Plotly.NET charts and the HTML of other Plotly libraries (XPlot.Plotly). Subplots become
/// panels, in the grid that <c>layout.grid</c> gives, or stacked. Only line and marker traces are drawn.
/// </summary>
public sealed class StaticChart
{
    /// <summary>The size of a picture whose layout gives none (XPlot.Plotly sets it on the chart's element), the size of the charts in <see cref="Plots"/>.</summary>
    public const int DefaultWidth = 760, DefaultHeight = 380;

    private StaticChart(string title, int width, int height, Look look, bool showLegend, int columns, IReadOnlyList<Panel> panels, IReadOnlyList<Trace> traces)
    {
        Title = title;
        Width = width;
        Height = height;
        (this.look, this.showLegend, this.columns, this.panels, this.traces) = (look, showLegend, columns, panels, traces);
    }

    /// <summary>The chart's title, or "" when it has none.</summary>
    public string Title { get; }
    /// <summary>Width of the picture in pixels: the layout's, or <see cref="DefaultWidth"/>.</summary>
    public int Width { get; }
    /// <summary>Height of the picture in pixels: the layout's, or <see cref="DefaultHeight"/>.</summary>
    public int Height { get; }
    /// <summary>The names of the traces drawn, in the legend's order.</summary>
    public IReadOnlyList<string> TraceNames => traces.Select(t => t.Name).ToList();

    /// <summary>A text alternative for the picture: the title and the names of the lines.</summary>
    public string Description =>
        $"Chart{(Title.Length > 0 ? ": " + Title : "")}" + (traces.Count > 0 ? $" ({string.Join(", ", TraceNames)})" : "");

    private readonly Look look;
    private readonly bool showLegend;
    private readonly int columns;
    private readonly IReadOnlyList<Panel> panels;
    private readonly IReadOnlyList<Trace> traces;

    private sealed record Look(SKColor Ink, SKColor Paper, SKColor PlotBackground, SKColor Grid, float TitleX);
    private sealed record Panel(string XTitle, string YTitle);
    private sealed record Trace(string Name, double[] X, double[] Y, SKColor Color, bool Lines, bool Markers, int Panel);

    /// <summary>The picture of a Plotly.NET chart.</summary>
    public static StaticChart Of(GenericChart chart)
    {
        using var figure = JsonDocument.Parse(GenericChart.toFigureJson(chart));
        return FromFigure(figure.RootElement.GetProperty("data"), figure.RootElement.GetProperty("layout"));
    }

    /// <summary>
    /// The picture of the chart in an HTML fragment that draws it with <c>var data = […]; var layout = {…};</c>, as
    /// Plotly.NET and XPlot.Plotly write it; null when the fragment holds no such figure.
    /// </summary>
    public static StaticChart? FromHtml(string html)
    {
        if (ValueAfter(html, "var data = ") is not { ValueKind: JsonValueKind.Array } data) return null;
        return FromFigure(data, ValueAfter(html, "var layout = ") ?? default);
    }

    /// <summary>The picture of a figure given as plotly.js's <c>data</c> (an array of traces) and <c>layout</c>.</summary>
    public static StaticChart FromFigure(JsonElement data, JsonElement layout)
    {
        var colorway = Setting(layout, "colorway") is { ValueKind: JsonValueKind.Array } listed
            ? listed.EnumerateArray().Select(c => Color(c)).OfType<SKColor>().ToArray()
            : Array.Empty<SKColor>();
        if (colorway.Length == 0) colorway = PlotlyColorway;
        // A panel is one pair of axes ("x2", "y2"); traces without any are on the first.
        var axes = new List<(string X, string Y)>();
        var traces = new List<Trace>();
        foreach (var trace in data.EnumerateArray())
        {
            if (Text(trace, "type") is { Length: > 0 } type && type != "scatter" && type != "scattergl") continue;
            var y = Numbers(Get(trace, "y"));
            if (y.Length == 0) continue;
            var x = Numbers(Get(trace, "x"));
            if (x.Length != y.Length || !x.Any(double.IsFinite)) x = Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray();
            var pair = (Text(trace, "xaxis") is { Length: > 0 } xa ? xa : "x", Text(trace, "yaxis") is { Length: > 0 } ya ? ya : "y");
            if (!axes.Contains(pair)) axes.Add(pair);
            // plotly.js colours traces by their place in the whole figure, subplots included.
            var color = Color(Get(Get(trace, "line"), "color")) ?? colorway[traces.Count % colorway.Length];
            var mode = Text(trace, "mode") ?? "lines";
            traces.Add(new Trace(Text(trace, "name") ?? $"trace {traces.Count}", x, y, color, mode.Contains("lines"), mode.Contains("markers"), axes.IndexOf(pair)));
        }
        if (axes.Count == 0) axes.Add(("x", "y"));
        var panels = axes.Select(a => new Panel(TitleOf(Get(layout, AxisKey(a.X))), TitleOf(Get(layout, AxisKey(a.Y))))).ToList();
        var columns = (int)Math.Clamp(Number(Get(Get(layout, "grid"), "columns")) ?? 1, 1, panels.Count);
        var look = new Look(Color(Setting(layout, "font", "color")) ?? new SKColor(0x44, 0x44, 0x44),
            Color(Setting(layout, "paper_bgcolor")) ?? SKColors.White, Color(Setting(layout, "plot_bgcolor")) ?? SKColors.White,
            Color(Setting(layout, "xaxis", "gridcolor")) ?? new SKColor(0xee, 0xee, 0xee), (float)(Number(Setting(layout, "title", "x")) ?? 0.5));
        return new StaticChart(TitleOf(layout),
            (int)(Number(Get(layout, "width")) ?? DefaultWidth), (int)(Number(Get(layout, "height")) ?? DefaultHeight), look,
            Get(layout, "showlegend")?.ValueKind != JsonValueKind.False && traces.Count > 1, columns, panels, traces);
    }

    /// <summary>The picture, PNG-encoded.</summary>
    public byte[] ToPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap)) Draw(canvas);
        // Flat areas and thin lines: unfiltered rows compress better here than with PNG's row filters.
        using var pixels = bitmap.PeekPixels();
        using var png = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.None, 9));
        return png?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the chart as PNG.");
    }

    /// <summary>An <c>&lt;img&gt;</c> with the picture inline and the given <paramref name="id"/>, that scales down with a narrow page.</summary>
    public string ToImgTag(string id) =>
        $"<img id=\"{id}\" src=\"data:image/png;base64,{Convert.ToBase64String(ToPng())}\" alt=\"{System.Net.WebUtility.HtmlEncode(Description)}\" " +
        $"width=\"{Width}\" height=\"{Height}\" style=\"display: block; max-width: 100%; height: auto;\" />";

    // plotly.js's own colours, for a figure whose layout and template name none (Plotly.NET's template does).
    private static readonly SKColor[] PlotlyColorway = new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" }
        .Select(SKColor.Parse).ToArray();

    // plotly.js draws with Open Sans; any sans-serif the font manager holds will do, and its default otherwise.
    private static readonly SKTypeface Typeface = new[] { "Open Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" }
        .Select(name => SKFontManager.Default.MatchFamily(name)).FirstOrDefault(t => t is not null) ?? SKTypeface.Default;

    /// <summary>Whether the font the picture is drawn with has glyphs for every character of <paramref name="text"/>.</summary>
    internal static bool CanWrite(string text)
    {
        using var font = new SKFont(Typeface);
        return font.ContainsGlyphs(text);
    }

    private void Draw(SKCanvas canvas)
    {
        canvas.Clear(look.Paper);
        using var title = new SKFont(Typeface, 17);
        using var small = new SKFont(Typeface, 12);
        using var ink = new SKPaint { Color = look.Ink, IsAntialias = true };
        // plotly.js anchors a title by where it sits: left in the first third, right in the last, else centred.
        var align = look.TitleX < 1 / 3f ? SKTextAlign.Left : look.TitleX > 2 / 3f ? SKTextAlign.Right : SKTextAlign.Center;
        if (Title.Length > 0) canvas.DrawText(Title, Width * look.TitleX, 30, align, title, ink);

        float legend = showLegend ? traces.Max(t => small.MeasureText(t.Name)) + 44 : 0;
        var area = new SKRect(0, Title.Length > 0 ? 44 : 12, Width - legend, Height);
        int rows = (panels.Count + columns - 1) / columns;
        for (int p = 0; p < panels.Count; p++)
        {
            float cellWidth = area.Width / columns, cellHeight = area.Height / rows;
            var cell = SKRect.Create(area.Left + p % columns * cellWidth, area.Top + p / columns * cellHeight, cellWidth, cellHeight);
            DrawPanel(canvas, cell, panels[p], traces.Where(t => t.Panel == p).ToList(), small, ink);
        }

        if (!showLegend) return;
        float top = area.Top + 12;
        foreach (var trace in traces)
        {
            using var line = LinePaint(trace.Color);
            canvas.DrawLine(Width - legend + 8, top, Width - legend + 32, top, line);
            canvas.DrawText(trace.Name, Width - legend + 38, top + 4, SKTextAlign.Left, small, ink);
            top += 20;
        }
    }

    private void DrawPanel(SKCanvas canvas, SKRect cell, Panel panel, IReadOnlyList<Trace> traces, SKFont font, SKPaint ink)
    {
        var (y0, y1) = Range(traces.SelectMany(t => t.Y), pad: 0.04);
        var (x0, x1) = Range(traces.SelectMany(t => t.X), pad: 0);
        var yTicks = Ticks(y0, y1, (int)(cell.Height / 60));
        var xTicks = Ticks(x0, x1, (int)(cell.Width / 100));
        float labelWidth = yTicks.Max(t => font.MeasureText(t.Label));
        // Room on the right for half of a label that sits at the very end of the x axis.
        float right = Math.Max(12, xTicks.Count > 0 ? font.MeasureText(xTicks[^1].Label) / 2 + 4 : 0);
        var plot = new SKRect(cell.Left + labelWidth + (panel.YTitle.Length > 0 ? 34 : 14), cell.Top + 8, cell.Right - right,
            cell.Bottom - (panel.XTitle.Length > 0 ? 50 : 30));
        if (plot.Width < 10 || plot.Height < 10) return;
        float X(double x) => plot.Left + (float)((x - x0) / (x1 - x0)) * plot.Width;
        float Y(double y) => plot.Bottom - (float)((y - y0) / (y1 - y0)) * plot.Height;

        using var background = new SKPaint { Color = look.PlotBackground };
        using var grid = new SKPaint { Color = look.Grid, StrokeWidth = 1 };
        canvas.DrawRect(plot, background);
        foreach (var (value, label) in yTicks)
        {
            canvas.DrawLine(plot.Left, Y(value), plot.Right, Y(value), grid);
            canvas.DrawText(label, plot.Left - 6, Y(value) + 4, SKTextAlign.Right, font, ink);
        }
        foreach (var (value, label) in xTicks)
        {
            canvas.DrawLine(X(value), plot.Top, X(value), plot.Bottom, grid);
            canvas.DrawText(label, X(value), plot.Bottom + 16, SKTextAlign.Center, font, ink);
        }
        if (panel.XTitle.Length > 0) canvas.DrawText(panel.XTitle, plot.MidX, plot.Bottom + 38, SKTextAlign.Center, font, ink);
        if (panel.YTitle.Length > 0)
        {
            canvas.Save();
            canvas.RotateDegrees(-90, cell.Left + 14, plot.MidY);
            canvas.DrawText(panel.YTitle, cell.Left + 14, plot.MidY, SKTextAlign.Center, font, ink);
            canvas.Restore();
        }

        canvas.Save();
        canvas.ClipRect(plot);
        foreach (var trace in traces)
        {
            using var paint = LinePaint(trace.Color);
            using var dot = new SKPaint { Color = trace.Color, IsAntialias = true };
            using var path = new SKPath();
            bool Finite(int i) => i >= 0 && i < trace.Y.Length && double.IsFinite(trace.X[i]) && double.IsFinite(trace.Y[i]);
            for (int i = 0; i < trace.Y.Length; i++)
            {
                // A missing or infinite value breaks the line, as in plotly.js.
                if (!Finite(i)) continue;
                var point = new SKPoint(X(trace.X[i]), Y(trace.Y[i]));
                if (Finite(i - 1)) path.LineTo(point); else path.MoveTo(point);
                // plotly.js draws nothing for a point with no neighbour (a run of one iteration); the picture shows a dot.
                if (trace.Markers || (!Finite(i - 1) && !Finite(i + 1))) canvas.DrawCircle(point, 3, dot);
            }
            if (trace.Lines) canvas.DrawPath(path, paint);
        }
        canvas.Restore();
    }

    private static SKPaint LinePaint(SKColor color) =>
        new() { Color = color, StrokeWidth = 2, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round };

    private static (double Low, double High) Range(IEnumerable<double> values, double pad)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var v in values.Where(double.IsFinite)) (low, high) = (Math.Min(low, v), Math.Max(high, v));
        if (low > high) return (0, 1);
        if (low == high) return (low - 1, high + 1);
        double margin = (high - low) * pad;
        return (low - margin, high + margin);
    }

    // Round values 1, 2 or 5 times a power of ten apart, about `count` of them, labelled with as many decimals as
    // the step needs.
    private static List<(double Value, string Label)> Ticks(double low, double high, int count)
    {
        double raw = (high - low) / Math.Max(2, count), magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<(double, string)>();
        for (double k = Math.Ceiling(low / step); k * step <= high + step * 1e-9; k++)
            ticks.Add((k * step, (k == 0 ? 0 : k * step).ToString("F" + decimals, CultureInfo.InvariantCulture)));
        return ticks;
    }

    private static string AxisKey(string axis) => axis[..1] + "axis" + axis[1..];

    private static JsonElement? Get(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static double? Number(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Number } e ? e.GetDouble() : null;

    // A layout setting, or else its template's, as plotly.js resolves them.
    private static JsonElement? Setting(JsonElement layout, params string[] path)
    {
        foreach (var root in new[] { layout, Get(Get(layout, "template"), "layout") })
        {
            var value = root;
            foreach (var name in path) value = Get(value, name);
            if (value is not null) return value;
        }
        return null;
    }

    // "#636efa", or "rgba(99, 110, 250, 1.0)" as Plotly.NET writes its template's colours; alpha is ignored.
    private static SKColor? Color(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text) return null;
        if (SKColor.TryParse(text.GetString(), out var parsed)) return parsed;
        var rgb = Regex.Match(text.GetString()!, @"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})");
        byte Channel(int i) => (byte)Math.Min(255, int.Parse(rgb.Groups[i].Value, CultureInfo.InvariantCulture));
        return rgb.Success ? new SKColor(Channel(1), Channel(2), Channel(3)) : null;
    }

    // Plotly.NET writes a title as {"text": …}; XPlot.Plotly and older layouts as a plain string.
    private static string TitleOf(JsonElement? owner) => Get(owner, "title") switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Object } o => Text(o, "text") ?? "",
        _ => "",
    };

    // Values that are not numbers ("NaN", null, categories) become NaN: gaps in the line.
    private static double[] Numbers(JsonElement? array) => array is { ValueKind: JsonValueKind.Array } a
        ? a.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray()
        : Array.Empty<double>();

    // The JSON value that follows `marker` in a script; reading stops at its end, whatever comes after.
    private static JsonElement? ValueAfter(string html, string marker)
    {
        int at = html.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(html[(at + marker.Length)..]));
        try
        {
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
