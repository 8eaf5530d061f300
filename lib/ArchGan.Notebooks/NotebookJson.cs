using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// The JSON conventions of saved notebooks: Jupyter and VS Code both write keys sorted, one space of
/// indentation, multi-line strings as arrays of lines, and a final newline. Matching them keeps diffs of
/// notebooks run here against notebooks saved by an editor small.
/// </summary>
internal static class NotebookJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 1,
        NewLine = "\n",
        // HTML outputs are full of < > & and quotes; the default encoder would turn them into \u003C.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(JsonNode root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, root);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Splits text the nbformat way: every line keeps its "\n" except the last.</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return lines;
    }

    /// <summary>Reads an nbformat multi-line string, stored either as one string or as an array of pieces.</summary>
    public static string ReadMultiline(JsonNode? node) => node switch
    {
        null => "",
        JsonArray array => string.Concat(array.Select(item => item?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };
}
