using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace ArchGan.Notebooks;

/// <summary>
/// What every notebook's scripts compile against: the framework, the carried packages and the ArchGan
/// library, as the assemblies this process has loaded. Built once per process, because reading ~200
/// assemblies' metadata is the slow part of a first submission.
/// </summary>
internal static class ScriptEnvironment
{
    /// <summary>The kernel's default namespaces (Microsoft.DotNet.Interactive.CSharp's CSharpKernel).</summary>
    public static readonly string[] DefaultImports =
    {
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
    };

    private static readonly Lazy<(ImmutableArray<MetadataReference> References, IReadOnlyDictionary<string, (Assembly Assembly, MetadataReference Reference)> Loaded)> s_references =
        new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ImmutableArray<MetadataReference> References => s_references.Value.References;

    /// <summary>Assemblies the host has loaded, by simple name: a notebook's #r of the same name gets these.</summary>
    public static IReadOnlyDictionary<string, (Assembly Assembly, MetadataReference Reference)> Loaded => s_references.Value.Loaded;

    public static ScriptOptions CreateOptions(string notebookFolder) => ScriptOptions.Default
        .WithReferences(References)
        .WithImports(DefaultImports)
        .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)
        // Notebook cells drive training loops; optimized code costs nothing here and helps any per-pixel loop.
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithMetadataResolver(new NotebookMetadataResolver(notebookFolder))
        .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(notebookFolder));

    /// <summary>
    /// An assembly loader that hands scripts the host's own copies of the carried assemblies. Without it a
    /// script could load a second ArchGan.dll or ArchGan.Notebooks.dll, and then display() would write to a
    /// different static state and ArchGan types from the script would not be the host's types.
    /// </summary>
    public static InteractiveAssemblyLoader CreateAssemblyLoader()
    {
        var loader = new InteractiveAssemblyLoader();
        foreach (var (assembly, _) in Loaded.Values)
        {
            loader.RegisterDependency(assembly);
        }
        return loader;
    }

    private static (ImmutableArray<MetadataReference>, IReadOnlyDictionary<string, (Assembly, MetadataReference)>) Build()
    {
        var roots = new List<Assembly>
        {
            typeof(object).Assembly,
            typeof(TorchSharp.torch).Assembly,
            typeof(SkiaSharp.SKBitmap).Assembly,
            typeof(Plotly.NET.GenericChart).Assembly,
            typeof(XPlot.Plotly.PlotlyChart).Assembly,
            typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly,
            typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly,
            typeof(Microsoft.AspNetCore.Html.HtmlString).Assembly,
        };
        // By name rather than by one of its types: the library's types are being written in parallel.
        try
        {
            roots.Add(Assembly.Load("ArchGan"));
        }
        catch (FileNotFoundException)
        {
        }

        var loaded = new Dictionary<string, (Assembly, MetadataReference)>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<Assembly>(roots);
        while (queue.Count > 0)
        {
            var assembly = queue.Dequeue();
            var name = assembly.GetName().Name!;
            if (loaded.ContainsKey(name) || assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location))
            {
                continue;
            }
            loaded[name] = (assembly, MetadataReference.CreateFromFile(assembly.Location));
            foreach (var dependency in assembly.GetReferencedAssemblies())
            {
                if (loaded.ContainsKey(dependency.Name!))
                {
                    continue;
                }
                try
                {
                    queue.Enqueue(Assembly.Load(dependency));
                }
                catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // A dependency the host never needs (a Windows-only one, say) need not be referenced either.
                }
            }
        }
        // The runner itself, but not its own dependencies (Roslyn has no business in a notebook's namespace).
        var self = typeof(Kernel).Assembly;
        loaded[self.GetName().Name!] = (self, MetadataReference.CreateFromFile(self.Location));

        // The rest of the shared framework, so that notebook code can use any BCL assembly without #r, as in
        // the kernel. Implementation assemblies are what Roslyn scripting compiles against on .NET Core too.
        var references = loaded.Values.Select(v => v.Item2).ToList();
        var names = new HashSet<string>(loaded.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (names.Contains(name) || !IsManaged(file))
            {
                continue;
            }
            names.Add(name);
            references.Add(MetadataReference.CreateFromFile(file));
        }
        return (references.ToImmutableArray(), loaded);
    }

    private static bool IsManaged(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var reader = new PEReader(stream);
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
