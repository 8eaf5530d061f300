using System.Reflection;
using System.Runtime.Loader;

namespace ArchGan.Platform;

/// <summary>
/// Lets Plotly.NET run in a host that already carries an older FSharp.Core of the same major version, as the
/// .NET Interactive kernel does.
/// </summary>
/// <remarks>
/// <para>
/// Plotly.NET 6.0.0, the only version the feed serves, is built against FSharp.Core 10.1 (assembly version
/// 10.1.0.0). The kernel (dotnet-interactive 1.0.712001) ships FSharp.Core 10.0 (assembly 10.0.0.0) in its own
/// folder and loads it at start, for its F# kernel; what a host ships wins over what a notebook's <c>#r</c>
/// brings. .NET has no binding redirects: a request for 10.1.0.0 in a process whose default load context holds
/// 10.0.0.0 fails with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'" at the first chart.
/// </para>
/// <para>
/// Before failing, the runtime raises <see cref="AssemblyLoadContext.Resolving"/>, the supported place for a
/// host or library to supply an assembly the default rules cannot. Answering a FSharp.Core request with the copy
/// already loaded, when only the minor version differs, does what a binding redirect did on .NET Framework:
/// one FSharp.Core for the kernel, the notebook and Plotly.NET, so F# types passed between them stay the same
/// types. A second FSharp.Core in a load context of its own would split them. The minor versions of FSharp.Core
/// add members without removing any, and every chart the tutorial draws is run in the kernel by the notebook
/// tests. A different major version is left to fail as before.
/// </para>
/// <para>
/// Registered by a module initializer, so it is in place before any ArchGan code, Plotly.NET's included, is
/// compiled by the JIT. Elsewhere (the archgan command, the tests) the right FSharp.Core is loaded and the
/// handler is never asked.
/// </para>
/// </remarks>
public static class FSharpCoreBinding
{
    private static int registered;

    /// <summary>How many FSharp.Core requests were answered with the loaded copy (0 outside a kernel).</summary>
    public static int Unified { get; private set; }

    /// <summary>Registers the handler once; called by <see cref="LibraryInitializer"/>, harmless to call again.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            AssemblyLoadContext.Default.Resolving += Resolve;
    }

    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (requested.Name != "FSharp.Core") return null;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
        if (loaded?.GetName().Version is not { } have || requested.Version is not { } want || have.Major != want.Major)
            return null;
        Unified++;
        return loaded;
    }
}
