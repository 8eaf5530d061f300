using System.Text;

namespace ArchGan.Notebooks;

/// <summary>
/// A console writer that sends text to the current cell's stream output when a cell is running in this
/// async flow, and to the writer it replaced otherwise.
/// </summary>
internal sealed class ConsoleRouter : TextWriter
{
    private readonly string _streamName;

    public ConsoleRouter(TextWriter original, string streamName)
    {
        Original = original;
        _streamName = streamName;
    }

    public TextWriter Original { get; }

    public override Encoding Encoding => Original.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }
        if (ExecutionScope.Current is { } outputs)
        {
            outputs.WriteStream(_streamName, value);
        }
        else
        {
            Original.Write(value);
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + CoreNewLineStr);

    public override void Flush()
    {
        if (ExecutionScope.Current is null)
        {
            Original.Flush();
        }
    }

    private string CoreNewLineStr => new(CoreNewLine);
}
