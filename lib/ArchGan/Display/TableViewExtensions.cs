using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace ArchGan.Display;

/// <summary><c>rows.ToTable()</c>: a sequence shown as an HTML table in a notebook.</summary>
public static class TableViewExtensions
{
    /// <summary>One row per item, one column per public property (<see cref="TableView.Of{T}"/>).</summary>
    public static TableView ToTable<T>(this IEnumerable<T> items, string? caption = null) => TableView.Of(items, caption);
}
