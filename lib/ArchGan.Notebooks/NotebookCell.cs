using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// One cell of a notebook, a view over its JSON object: fields the runner does not touch (attachments,
/// unknown metadata) are written back as they were read.
/// </summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json)
    {
        Json = json;
    }

    internal JsonObject Json { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>True for a code cell, whatever its language.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The nbformat 4.5 cell id, or null in older notebooks.</summary>
    public string? Id
    {
        get => Json["id"]?.GetValue<string>();
        set => Json["id"] = value;
    }

    /// <summary>The cell's source text, with the line pieces of the file joined.</summary>
    public string Source
    {
        get => NotebookJson.ReadMultiline(Json["source"]);
        set => Json["source"] = NotebookJson.ToLines(value);
    }

    /// <summary>The cell's metadata object (created empty when the file has none).</summary>
    public JsonObject Metadata
    {
        get
        {
            if (Json["metadata"] is not JsonObject metadata)
            {
                metadata = new JsonObject();
                Json["metadata"] = metadata;
            }
            return metadata;
        }
    }

    /// <summary>The cell's tags (metadata.tags), as papermill and Jupyter store them.</summary>
    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValue<string>() ?? "").ToArray()
            : Array.Empty<string>();

    /// <summary>True when metadata.tags contains <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>The execution count of a code cell (null when not run).</summary>
    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue value && value.TryGetValue<int>(out var count) ? count : null;
        set => Json["execution_count"] = value;
    }

    /// <summary>The saved outputs of a code cell, as JSON objects in nbformat shape (empty for other cells).</summary>
    public IReadOnlyList<JsonObject> Outputs =>
        Json["outputs"] is JsonArray outputs ? outputs.OfType<JsonObject>().ToArray() : Array.Empty<JsonObject>();

    /// <summary>
    /// The kernel this cell's metadata names, normalized ("csharp", "fsharp", "pwsh", ...), or null when the
    /// metadata names none. polyglot_notebook.kernelName wins over the older dotnet_interactive.language.
    /// </summary>
    public string? MetadataKernelName
    {
        get
        {
            var name = Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();
            return name is null ? null : KernelNames.Normalize(name);
        }
    }

    internal void ClearOutputs()
    {
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }

    internal void SetOutputs(IEnumerable<JsonObject> outputs, int? executionCount)
    {
        Json["outputs"] = new JsonArray(outputs.Cast<JsonNode>().ToArray());
        Json["execution_count"] = executionCount;
    }

    /// <summary>Creates a C# code cell with the metadata Polyglot Notebooks writes, and the given tags.</summary>
    public static NotebookCell CreateCSharpCode(string id, string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0)
        {
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        }
        var json = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = id,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = NotebookJson.ToLines(source),
        };
        return new NotebookCell(json);
    }
}
