using System.Runtime.CompilerServices;

namespace ArchGan.Platform;

/// <summary>
/// What must be in place before any other ArchGan code runs, in any host (the archgan command, the tests, a
/// notebook kernel): the FSharp.Core binding, before the JIT compiles a method that touches F# types, and the
/// oneDNN cap, before libtorch creates its first convolution.
/// </summary>
internal static class LibraryInitializer
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Both must run before the library's first use of F# types or of libtorch.")]
    internal static void Initialize()
    {
        FSharpCoreBinding.Register();
        OneDnnIsa.Apply();
    }
}
