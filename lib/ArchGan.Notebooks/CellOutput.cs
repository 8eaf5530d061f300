using System.Text;
using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// One output of a running cell. Mutable on purpose: stream text grows while the cell writes, and a display
/// keeps its slot while the kernel's updates of that display replace its data, even from a later cell.
/// </summary>
internal sealed class CellOutput
{
    private readonly StringBuilder? text;
    private IReadOnlyDictionary<string, string> data;

    private CellOutput(string outputType, string? streamName, IReadOnlyDictionary<string, string> data)
    {
        OutputType = outputType;
        StreamName = streamName;
        this.data = data;
        if (outputType == "stream")
        {
            text = new StringBuilder();
        }
    }

    /// <summary>nbformat output_type: stream, display_data, execute_result or error.</summary>
    public string OutputType { get; }

    public string? StreamName { get; }

    public string? ErrorName { get; private init; }

    public string? ErrorValue { get; private init; }

    public IReadOnlyList<string> Traceback { get; private init; } = Array.Empty<string>();

    public static CellOutput Stream(string name) => new("stream", name, new Dictionary<string, string>());

    public static CellOutput Display(IReadOnlyDictionary<string, string> data) => new("display_data", null, data);

    public static CellOutput Result(IReadOnlyDictionary<string, string> data) => new("execute_result", null, data);

    public static CellOutput Error(string name, string value, IReadOnlyList<string> traceback) =>
        new("error", null, new Dictionary<string, string>()) { ErrorName = name, ErrorValue = value, Traceback = traceback };

    public string Text
    {
        get
        {
            lock (this)
            {
                return text?.ToString() ?? "";
            }
        }
    }

    public IReadOnlyDictionary<string, string> Data
    {
        get
        {
            lock (this)
            {
                return data;
            }
        }
    }

    public void Append(string text)
    {
        lock (this)
        {
            this.text!.Append(text);
        }
    }

    public void Replace(IReadOnlyDictionary<string, string> data)
    {
        lock (this)
        {
            this.data = data;
        }
    }

    /// <summary>The output in the shape Polyglot Notebooks saves it.</summary>
    public JsonObject ToJson(int? executionCount)
    {
        switch (OutputType)
        {
            case "stream":
                return new JsonObject
                {
                    ["name"] = StreamName,
                    ["output_type"] = "stream",
                    ["text"] = NotebookJson.ToLines(Text),
                };
            case "error":
                return new JsonObject
                {
                    ["ename"] = ErrorName,
                    ["evalue"] = ErrorValue,
                    ["output_type"] = "error",
                    ["traceback"] = new JsonArray(Traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
                };
            default:
                var output = new JsonObject
                {
                    ["data"] = DataToJson(Data),
                    ["metadata"] = new JsonObject(),
                    ["output_type"] = OutputType,
                };
                if (OutputType == "execute_result")
                {
                    output["execution_count"] = executionCount;
                }
                return output;
        }
    }

    // nbformat: text mime types are arrays of lines, binary ones (image/png) one base64 string, JSON ones JSON.
    private static JsonObject DataToJson(IReadOnlyDictionary<string, string> data)
    {
        var json = new JsonObject();
        foreach (var (mimeType, value) in data)
        {
            if (mimeType.StartsWith("image/", StringComparison.Ordinal) && mimeType != "image/svg+xml")
            {
                json[mimeType] = value;
            }
            else if (mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal))
            {
                json[mimeType] = TryParseJson(value) ?? NotebookJson.ToLines(value);
            }
            else
            {
                json[mimeType] = NotebookJson.ToLines(value);
            }
        }
        return json;
    }

    private static JsonNode? TryParseJson(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
