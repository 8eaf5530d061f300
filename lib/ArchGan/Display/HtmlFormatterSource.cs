using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;

namespace ArchGan.Display;

/// <summary>
/// The formatters that <see cref="TypeFormatterSourceAttribute"/> points at: every ArchGan type a notebook shows
/// renders as HTML through <see cref="NotebookHtml"/>. Matched by shape, not by interface: the Formatter reads
/// <c>MimeType</c>, <c>Type</c> and calls <c>Format(object, TextWriter)</c> on each object returned.
/// </summary>
internal sealed class HtmlFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => new object[]
    {
        new HtmlTypeFormatter<SampleGrid>(NotebookHtml.Of),
        new HtmlTypeFormatter<ImageSet>(NotebookHtml.Of),
        new HtmlTypeFormatter<TrainingHistory>(NotebookHtml.Of),
        new HtmlTypeFormatter<ModelSummary>(NotebookHtml.Of),
        new HtmlTypeFormatter<ChartView>(NotebookHtml.Of),
        new HtmlTypeFormatter<TrainingDashboard>(NotebookHtml.Of),
        new HtmlTypeFormatter<TableView>(table => table.ToHtml()),
    };
}
