using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace ArchGan.Notebooks;

/// <summary>
/// Resolves <c>#r "path"</c> against the notebook's folder (the kernel's working directory in VS Code and
/// Jupyter). A file named like an assembly the runner already has (ArchGan.dll, TorchSharp.dll) resolves to
/// the runner's copy: one copy of each type, whatever build folder the notebook points at.
/// </summary>
internal sealed class NotebookMetadataResolver : MetadataReferenceResolver
{
    private readonly string _folder;
    private readonly ScriptMetadataResolver _fallback;

    public NotebookMetadataResolver(string folder)
    {
        _folder = folder;
        _fallback = ScriptMetadataResolver.Default.WithBaseDirectory(folder);
    }

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (LooksLikePath(reference))
        {
            var name = Path.GetFileNameWithoutExtension(reference);
            if (ScriptEnvironment.Loaded.TryGetValue(name, out var loaded) && loaded.Reference is PortableExecutableReference known)
            {
                return ImmutableArray.Create(known);
            }
            var full = Path.GetFullPath(reference, _folder);
            if (File.Exists(full))
            {
                return ImmutableArray.Create(MetadataReference.CreateFromFile(full, properties));
            }
        }
        return _fallback.ResolveReference(reference, baseFilePath, properties);
    }

    internal static bool LooksLikePath(string reference) =>
        reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
        || reference.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
        || reference.Contains('/')
        || reference.Contains('\\');

    public override bool Equals(object? other) => other is NotebookMetadataResolver r && r._folder == _folder;

    public override int GetHashCode() => _folder.GetHashCode(StringComparison.Ordinal);
}
