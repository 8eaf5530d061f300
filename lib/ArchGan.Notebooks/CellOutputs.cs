using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// The outputs of one cell, in the order they happened. Consecutive writes to the same stream share one
/// stream output, as in Jupyter; a display in between starts a new one, which keeps text and displays in order.
/// </summary>
internal sealed class CellOutputs
{
    private readonly List<CellOutput> items = new();

    public void WriteStream(string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        CellOutput target;
        lock (items)
        {
            if (items.Count > 0 && items[^1] is { OutputType: "stream" } last && last.StreamName == name)
            {
                target = last;
            }
            else
            {
                target = CellOutput.Stream(name);
                items.Add(target);
            }
            target.Append(text);
        }
    }

    public CellOutput Add(CellOutput output)
    {
        lock (items)
        {
            items.Add(output);
        }
        return output;
    }

    public IReadOnlyList<CellOutput> Snapshot()
    {
        lock (items)
        {
            return items.ToArray();
        }
    }

    public IEnumerable<JsonObject> ToJson(int? executionCount) => Snapshot().Select(o => o.ToJson(executionCount));
}
