using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// One event the kernel raised while it ran a command: its type as the kernel names it
/// (<c>ReturnValueProduced</c>, <c>DisplayedValueProduced</c>, <c>DisplayedValueUpdated</c>,
/// <c>StandardOutputValueProduced</c>, <c>ErrorProduced</c>, ...) and its JSON body.
/// </summary>
public sealed record KernelEvent(string Type, JsonObject Data)
{
    /// <summary>
    /// The value's formatted forms, mime type to text, as the kernel sent them; forms the kernel marks
    /// <c>suppressDisplay</c> are left out, as a notebook front end leaves them out.
    /// </summary>
    public IReadOnlyDictionary<string, string> FormattedValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Data["formattedValues"] is not JsonArray array) return values;
        foreach (var item in array.OfType<JsonObject>())
        {
            if (item["suppressDisplay"]?.GetValue<bool>() == true) continue;
            if (item["mimeType"]?.GetValue<string>() is { } mime && item["value"]?.GetValue<string>() is { } value)
                values[mime] = value;
        }
        return values;
    }

    /// <summary>The id that ties a displayed value to its later updates, or null.</summary>
    public string? ValueId => Data["valueId"]?.GetValue<string>();
}
