using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace ArchGan.Notebooks;

/// <summary>
/// The names notebook code uses unqualified, matching <c>Microsoft.DotNet.Interactive.Kernel</c>'s static
/// members: the runner submits <c>using static ArchGan.Notebooks.Kernel;</c> first, as the real kernel submits
/// <c>using static Microsoft.DotNet.Interactive.Kernel;</c>, so the same notebook source compiles in both.
/// </summary>
public static class Kernel
{
    /// <summary>
    /// Shows <paramref name="value"/> as a display_data output of the running cell, formatted for
    /// <paramref name="mimeTypes"/> or, when none are given, the mime types preferred for its type.
    /// </summary>
    /// <returns>A handle whose <see cref="DisplayedValue.Update"/> replaces this output in place.</returns>
#pragma warning disable IDE1006 // The lower-case name is the kernel's, and notebooks call it unqualified.
    public static DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        mimeTypes ??= Array.Empty<string>();
        var data = ValueFormatting.Format(value, mimeTypes);
        if (ExecutionScope.Current is not { } outputs)
        {
            WriteToConsole(data);
            return new DisplayedValue(null, mimeTypes);
        }
        return new DisplayedValue(outputs.Add(CellOutput.Display(data)), mimeTypes);
    }

    /// <summary>Marks <paramref name="content"/> as HTML, so that displaying it renders it rather than escaping it.</summary>
    public static IHtmlContent HTML(string content) => new HtmlString(content);

    internal static void WriteToConsole(IReadOnlyDictionary<string, string> data)
    {
        var text = data.TryGetValue(PlainTextFormatter.MimeType, out var plain) ? plain : data.Values.FirstOrDefault() ?? "";
        Console.Out.WriteLine(text);
    }
}
