namespace ArchGan.Notebooks;

/// <summary>
/// What <see cref="Kernel.display"/> returns: a handle on one display output. <see cref="Update"/> replaces
/// that output in place, so a training loop that updates a chart every step leaves one output, holding the
/// last value, at the position of the original display (as Microsoft.DotNet.Interactive's DisplayedValue does).
/// </summary>
public sealed class DisplayedValue
{
    private readonly CellOutput? _output;
    private readonly string[] _mimeTypes;

    internal DisplayedValue(CellOutput? output, string[] mimeTypes)
    {
        _output = output;
        _mimeTypes = mimeTypes;
    }

    /// <summary>An id for this display, like the kernel's display_id.</summary>
    public string DisplayId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The mime types the value was displayed with, when the caller named them (empty: the preferred ones).</summary>
    public IReadOnlyCollection<string> MimeTypes => _mimeTypes;

    /// <summary>Replaces the displayed value with <paramref name="updatedValue"/>, formatted the same way.</summary>
    public void Update(object? updatedValue)
    {
        var data = ValueFormatting.Format(updatedValue, _mimeTypes);
        if (_output is null)
        {
            // Displayed outside a notebook run (plain console): the best an update can do is print again.
            Kernel.WriteToConsole(data);
            return;
        }
        _output.Replace(data);
    }
}
