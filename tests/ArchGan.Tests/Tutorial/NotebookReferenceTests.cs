using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArchGan.Tests.Tutorial;

/// <summary>
/// The notebooks' prose points at other notebooks, at their sections and at the library; renaming a section,
/// a type or a member, or renumbering a notebook, breaks those pointers without failing any cell. These tests read
/// every markdown cell and check each pointer against the notebooks and the ArchGan assembly as they are now.
/// </summary>
/// <remarks>
/// The conventions they rely on: a notebook is "notebook N" (or "notebooks N and M"); a section of another notebook
/// is "notebook N, section “Heading”" (a section named without a notebook in the same sentence is one of this
/// notebook's own); library names are written in backticks, as `Type`, `Type.Member` or `ArchGan.Namespace.Type`.
/// </remarks>
public sealed partial class NotebookReferenceTests
{
    private sealed record Notebook(int Number, string File, IReadOnlyList<string> Markdown, string Code, IReadOnlySet<string> Headings);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArchGan.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ArchGan.sln above {AppContext.BaseDirectory}.");
    }

    private static IReadOnlyDictionary<int, Notebook> LoadNotebooks(string folder)
    {
        var notebooks = new Dictionary<int, Notebook>();
        foreach (var file in Directory.GetFiles(folder, "*.ipynb"))
        {
            var name = Path.GetFileName(file);
            var cells = JsonNode.Parse(File.ReadAllText(file))!["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
            string Source(JsonObject cell) => string.Concat(cell["source"]!.AsArray().Select(l => l!.GetValue<string>()));
            var markdown = cells.Where(c => c["cell_type"]!.GetValue<string>() == "markdown").Select(Source).ToList();
            var code = string.Join("\n", cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").Select(Source));
            var headings = markdown.SelectMany(m => m.Split('\n')).Where(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()).ToHashSet();
            notebooks.Add(int.Parse(name[..2]), new Notebook(int.Parse(name[..2]), name, markdown, code, headings));
        }
        return notebooks;
    }

    [GeneratedRegex(@"\b[Nn]otebooks?\s+(\d+)((?:\s*(?:,|and|or)\s*\d+)*)")]
    private static partial Regex NotebookNumbers();

    [GeneratedRegex(@"section “([^”]+)”")]
    private static partial Regex Section();

    [GeneratedRegex(@"\b[Nn]otebook (\d+)")]
    private static partial Regex OneNotebook();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"(?<![\w.)])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex TypeDotMember();

    [GeneratedRegex(@"^([A-Z]\w*)(?:\(\))?$")]
    private static partial Regex BareName();

    // Names written in backticks that belong to other libraries or languages, not ArchGan.
    private static readonly HashSet<string> Foreign = new(StringComparer.Ordinal) { "Chart", "None" };

    /// <summary>
    /// Every broken pointer in the notebooks of <paramref name="folder"/>, one line each; paths and links are looked up
    /// in <paramref name="repository"/>.
    /// </summary>
    internal static List<string> BrokenReferences(string folder, string repository, Assembly library)
    {
        var notebooks = LoadNotebooks(folder);
        // A notebook may name another's parameter ("its `ResumeEpochs`").
        var allCode = string.Join("\n", notebooks.Values.Select(n => n.Code));
        var types = library.GetExportedTypes();
        var bySimpleName = types.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.ToList());
        var memberNames = types.SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)).Select(m => m.Name).ToHashSet();
        bool HasMember(IEnumerable<Type> candidates, string member) => candidates.Any(t =>
            t.GetMember(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy).Length > 0);

        var broken = new List<string>();
        foreach (var notebook in notebooks.Values)
        {
            foreach (var text in notebook.Markdown)
            {
                foreach (Match match in NotebookNumbers().Matches(text))
                {
                    var numbers = new[] { match.Groups[1].Value }.Concat(Regex.Matches(match.Groups[2].Value, @"\d+").Select(m => m.Value)).Select(int.Parse);
                    broken.AddRange(numbers.Where(n => !notebooks.ContainsKey(n)).Select(n => $"{notebook.File}: notebook {n} does not exist"));
                }

                foreach (Match match in Section().Matches(text))
                {
                    // The notebook named last in the same sentence, before the section; none means this one.
                    var before = text[..match.Index];
                    var sentenceStart = Math.Max(before.LastIndexOf(". ", StringComparison.Ordinal), before.LastIndexOf('\n'));
                    var named = OneNotebook().Matches(before[(sentenceStart + 1)..]).LastOrDefault();
                    var target = named is null ? notebook.Number : int.Parse(named.Groups[1].Value);
                    var heading = match.Groups[1].Value;
                    if (!notebooks.TryGetValue(target, out var other)) continue; // reported as a missing notebook above
                    if (!other.Headings.Contains(heading)) broken.Add($"{notebook.File}: notebook {target} has no section “{heading}”");
                }

                foreach (Match span in CodeSpan().Matches(text))
                {
                    var code = span.Groups[1].Value;
                    if (Regex.IsMatch(code, @"\.(dll|cs|md|json|png|html|ckpt|ipynb)\b")) continue; // a file name
                    if (code.StartsWith("ArchGan.", StringComparison.Ordinal))
                    {
                        var name = Regex.Match(code, @"^[\w.]+").Value;
                        if (!ResolvesQualified(library, name)) broken.Add($"{notebook.File}: `{code}`: no type {name} in ArchGan");
                        continue;
                    }
                    foreach (Match pair in TypeDotMember().Matches(code))
                    {
                        var (type, member) = (pair.Groups[1].Value, pair.Groups[2].Value);
                        if (bySimpleName.TryGetValue(type, out var candidates))
                        {
                            if (!HasMember(candidates, member) && !candidates.Any(t => t.GetNestedType(member) is not null))
                                broken.Add($"{notebook.File}: `{code}`: {type} has no public member {member}");
                        }
                        else if (!Foreign.Contains(type) && !notebook.Code.Contains(type, StringComparison.Ordinal))
                        {
                            broken.Add($"{notebook.File}: `{code}`: no type {type} in ArchGan");
                        }
                    }
                    if (BareName().Match(code) is { Success: true } bare)
                    {
                        var name = bare.Groups[1].Value;
                        // A parameter, a column or a local of the notebooks' code, a library type or member, or a foreign name.
                        if (!bySimpleName.ContainsKey(name) && !memberNames.Contains(name) && !Foreign.Contains(name)
                            && !Regex.IsMatch(allCode, $@"\b{Regex.Escape(name)}\b"))
                            broken.Add($"{notebook.File}: `{code}`: neither an ArchGan type or member nor a name in the notebooks' code");
                    }
                }

                foreach (Match path in Regex.Matches(text, @"`((?:lib|docs|tests|notebooks)/[^`\s]*)`"))
                {
                    var relative = path.Groups[1].Value.TrimEnd('/');
                    var full = Path.Combine(repository, relative);
                    if (!File.Exists(full) && !Directory.Exists(full)) broken.Add($"{notebook.File}: `{relative}` does not exist");
                }
                foreach (Match link in Regex.Matches(text, @"\]\((\.\./[^)#\s]+)(?:#[^)]*)?\)"))
                {
                    var full = Path.GetFullPath(Path.Combine(repository, "notebooks", link.Groups[1].Value));
                    if (!File.Exists(full) && !Directory.Exists(full)) broken.Add($"{notebook.File}: link {link.Groups[1].Value} leads nowhere");
                }
            }
        }
        return broken;
    }

    // ArchGan.Namespace.Type, optionally followed by .Member: the longest prefix that names a type, then a member of it.
    private static bool ResolvesQualified(Assembly library, string name)
    {
        var parts = name.Split('.');
        for (int n = parts.Length; n >= 2; n--)
        {
            if (library.GetType(string.Join('.', parts[..n])) is not { } type) continue;
            return n == parts.Length
                || type.GetMember(parts[n], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy).Length > 0;
        }
        return false;
    }

    [Fact]
    public void Every_notebook_section_and_library_name_the_notebooks_point_at_exists()
    {
        var broken = BrokenReferences(Path.Combine(RepositoryRoot(), "notebooks"), RepositoryRoot(), typeof(Hyperparameters).Assembly);
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void A_planted_bad_pointer_of_each_kind_is_caught()
    {
        // Copies of the real notebooks with one bad pointer of each kind added to the last: the check must find all.
        var folder = Path.Combine(Path.GetTempPath(), "archgan-references-" + Guid.NewGuid().ToString("N"), "notebooks");
        Directory.CreateDirectory(folder);
        try
        {
            var sources = Directory.GetFiles(Path.Combine(RepositoryRoot(), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
            foreach (var source in sources) File.Copy(source, Path.Combine(folder, Path.GetFileName(source)));
            var last = Path.Combine(folder, Path.GetFileName(sources[^1]));
            var notebook = JsonNode.Parse(File.ReadAllText(last))!.AsObject();
            notebook["cells"]!.AsArray().Add(new JsonObject
            {
                ["cell_type"] = "markdown",
                ["id"] = "planted",
                ["metadata"] = new JsonObject(),
                ["source"] = new JsonArray("See notebook 42, notebook 3, section “No such heading”, `GanTrainr`, `GanTrainer.Stepp` and `ArchGan.Training.NoSuchType`."),
            });
            File.WriteAllText(last, notebook.ToJsonString());

            var broken = BrokenReferences(folder, RepositoryRoot(), typeof(Hyperparameters).Assembly);
            Assert.Contains(broken, b => b.Contains("notebook 42 does not exist"));
            Assert.Contains(broken, b => b.Contains("notebook 3 has no section “No such heading”"));
            Assert.Contains(broken, b => b.Contains("`GanTrainr`"));
            Assert.Contains(broken, b => b.Contains("GanTrainer has no public member Stepp"));
            Assert.Contains(broken, b => b.Contains("no type ArchGan.Training.NoSuchType"));
            Assert.True(broken.Count == 5, string.Join("\n", broken));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
