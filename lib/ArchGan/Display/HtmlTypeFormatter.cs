using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;

namespace ArchGan.Display;

/// <summary>One text/html formatter for values of <typeparamref name="T"/>.</summary>
internal sealed class HtmlTypeFormatter<T>(Func<T, string> toHtml)
{
    public string MimeType => "text/html";

    public Type Type => typeof(T);

    public bool Format(object value, TextWriter writer)
    {
        if (value is not T typed) return false;
        writer.Write(toHtml(typed));
        return true;
    }
}
