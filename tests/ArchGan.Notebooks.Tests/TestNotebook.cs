using System.Text.Json.Nodes;

namespace ArchGan.Notebooks.Tests;

/// <summary>Writes small notebooks, in the shape Polyglot Notebooks saves, into a temporary folder.</summary>
internal sealed class TestNotebook
{
    private readonly List<JsonObject> cells = new();
    private int next;

    public JsonObject Metadata { get; } = new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    public TestNotebook Code(string source, params string[] tags) => Code(source, "csharp", tags);

    public TestNotebook Code(string source, string kernel, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = kernel },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel },
        };
        if (tags.Length > 0)
        {
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        }
        cells.Add(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = $"cell-{next++}",
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = Lines(source),
        });
        return this;
    }

    public TestNotebook Markdown(string source)
    {
        cells.Add(new JsonObject
        {
            ["cell_type"] = "markdown",
            ["id"] = $"cell-{next++}",
            ["metadata"] = new JsonObject(),
            ["source"] = Lines(source),
        });
        return this;
    }

    public string Json() => new JsonObject
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        ["metadata"] = Metadata.DeepClone(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    public string WriteTo(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, Json());
        return path;
    }

    private static JsonArray Lines(string source)
    {
        var array = new JsonArray();
        var parts = source.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < parts.Length; i++)
        {
            array.Add(i < parts.Length - 1 ? parts[i] + "\n" : parts[i]);
        }
        return array;
    }
}
