using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace ArchGan.Display;

/// <summary>
/// Rows of values as a plain HTML table, one column per public property: <c>runs.Select(r =&gt; new { r.Name, r.Seconds }).ToTable()</c>.
/// The Formatter's default view of a sequence of objects nests a table per row; this keeps one row per item.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class TableView
{
    /// <summary>A table with the given column names and rows (each row as long as <paramref name="columns"/>).</summary>
    public TableView(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows, string? caption = null)
    {
        if (rows.Any(r => r.Count != columns.Count))
            throw new ArgumentException($"Every row needs {columns.Count} values.", nameof(rows));
        Columns = columns;
        Rows = rows;
        Caption = caption;
    }

    /// <summary>Column headings.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>The values, row by row.</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }
    /// <summary>An optional caption above the table.</summary>
    public string? Caption { get; }

    /// <summary>One row per item, one column per readable public instance property of <typeparamref name="T"/>, in declaration order.</summary>
    public static TableView Of<T>(IEnumerable<T> items, string? caption = null)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
        var rows = items.Select(item => (IReadOnlyList<object?>)properties.Select(p => item is null ? null : p.GetValue(item)).ToArray()).ToArray();
        return new TableView(properties.Select(p => p.Name).ToArray(), rows, caption);
    }

    /// <summary>The table as HTML; numbers are right-aligned and written with invariant culture.</summary>
    public string ToHtml()
    {
        const string left = "padding: 2px 10px; text-align: left;";
        const string right = "padding: 2px 10px; text-align: right; font-variant-numeric: tabular-nums;";
        var html = new StringBuilder("<table style=\"border-collapse: collapse; font-size: 0.9em;\">");
        if (Caption is { Length: > 0 })
            html.Append("<caption style=\"text-align: left; font-weight: bold; padding-bottom: 0.3em;\">").Append(WebUtility.HtmlEncode(Caption)).Append("</caption>");
        html.Append("<thead><tr style=\"border-bottom: 1px solid #888;\">");
        for (int c = 0; c < Columns.Count; c++)
        {
            bool numeric = Rows.Count > 0 && Rows.All(r => IsNumber(r[c]));
            html.Append($"<th style=\"{(numeric ? right : left)}\">").Append(WebUtility.HtmlEncode(Columns[c])).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            html.Append("<tr>");
            foreach (var value in row)
                html.Append($"<td style=\"{(IsNumber(value) ? right : left)}\">").Append(WebUtility.HtmlEncode(Text(value))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static bool IsNumber(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    private static string Text(object? value) => value switch
    {
        null => "",
        int or long or short or uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture) is var n && Math.Abs(n) >= 10_000
            ? n.ToString("N0", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
