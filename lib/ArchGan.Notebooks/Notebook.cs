using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// An nbformat 4 notebook, held as its JSON so that a run changes only outputs, execution counts and the
/// injected-parameters cell; everything else (metadata, ids, attachments) is written back as read.
/// </summary>
public sealed class Notebook
{
    private readonly JsonObject root;

    private Notebook(string path, JsonObject root, List<NotebookCell> cells)
    {
        Path = path;
        this.root = root;
        Cells = cells;
    }

    /// <summary>The file the notebook was read from (full path).</summary>
    public string Path { get; }

    /// <summary>The cells, in order. The runner inserts and removes cells here (injected parameters).</summary>
    public List<NotebookCell> Cells { get; }

    /// <summary>The notebook-level metadata object (kernelspec, language_info, polyglot_notebook, archgan, ...).</summary>
    public JsonObject Metadata => (JsonObject)root["metadata"]!;

    /// <summary>
    /// The kernel a cell without kernel metadata runs in: polyglot_notebook.kernelInfo.defaultKernelName, else
    /// the language part of a ".net-xxx" kernelspec name, else csharp.
    /// </summary>
    public string DefaultKernelName
    {
        get
        {
            var name = Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>();
            if (name is null && Metadata["kernelspec"]?["name"]?.GetValue<string>() is { } spec && spec.StartsWith(".net-", StringComparison.Ordinal))
            {
                name = spec[".net-".Length..];
            }
            return KernelNames.Normalize(name ?? KernelNames.CSharp);
        }
    }

    /// <summary>Reads and validates a notebook file. Throws <see cref="NotebookFormatException"/> naming the file when it is not a C# notebook.</summary>
    public static Notebook Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Notebook not found: {fullPath}", fullPath);
        }
        return Parse(File.ReadAllText(fullPath), fullPath);
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> is used for messages and relative paths.</summary>
    public static Notebook Parse(string json, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new NotebookFormatException(path, $"not a valid notebook: invalid JSON ({ex.Message})", ex);
        }
        if (node is not JsonObject root)
        {
            throw new NotebookFormatException(path, "not a valid notebook: the JSON is not an object");
        }
        if (root["nbformat"] is not JsonValue format || !format.TryGetValue<int>(out var major) || major != 4)
        {
            throw new NotebookFormatException(path, "not a valid notebook: only nbformat 4 is supported");
        }
        if (root["cells"] is not JsonArray cellArray || cellArray.Any(c => c is not JsonObject))
        {
            throw new NotebookFormatException(path, "not a valid notebook: 'cells' is missing or holds something other than cell objects");
        }
        if (root["metadata"] is not JsonObject)
        {
            root["metadata"] = new JsonObject();
        }

        var cells = cellArray.Cast<JsonObject>().Select(c => new NotebookCell(c)).ToList();
        var notebook = new Notebook(path, root, cells);
        if (!notebook.IsCSharpNotebook(out var kernelspec))
        {
            throw new NotebookFormatException(path,
                $"not a C# notebook: kernelspec name '{kernelspec ?? "(none)"}' does not start with '.net-' and no notebook or cell metadata selects the csharp kernel");
        }
        return notebook;
    }

    // The rule VS Code uses (a ".net-" kernelspec), widened to notebooks whose metadata says csharp some other way.
    private bool IsCSharpNotebook(out string? kernelspecName)
    {
        kernelspecName = Metadata["kernelspec"]?["name"]?.GetValue<string>();
        if (kernelspecName is not null && kernelspecName.StartsWith(".net-", StringComparison.Ordinal))
        {
            return true;
        }
        var defaultKernel = Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>();
        if (defaultKernel is not null && KernelNames.Normalize(defaultKernel) == KernelNames.CSharp)
        {
            return true;
        }
        return Cells.Any(c => c.IsCode && c.MetadataKernelName == KernelNames.CSharp);
    }

    /// <summary>The notebook as JSON text in the shape Jupyter and Polyglot Notebooks write (nbformat 4.5).</summary>
    public string ToJson()
    {
        root["cells"] = new JsonArray(Cells.Select(c =>
        {
            // A node can have one parent only; detach it from the previous array first.
            c.Json.Parent?.AsArray().Remove(c.Json);
            return (JsonNode)c.Json;
        }).ToArray());
        root["nbformat"] = 4;
        root["nbformat_minor"] = 5;
        return NotebookJson.Serialize(root);
    }

    /// <summary>
    /// Writes the notebook to <paramref name="path"/> through a temporary file in the same folder and a rename,
    /// so that a reader never sees half a notebook and a crash leaves the old file intact.
    /// </summary>
    public void Save(string path) => ArchGan.IO.AtomicFile.WriteAllText(path, ToJson());
}
