using System.Reflection;
using ArchGan.Display;
using TorchSharp;

namespace ArchGan.Platform;

/// <summary>
/// The last line of every notebook's setup cell: <c>NotebookSetup.Check()</c> makes the libraries ready in the
/// kernel and shows which versions it runs, so that a notebook opened at any step works from its first cell.
/// </summary>
public static class NotebookSetup
{
    /// <summary>
    /// Loads TorchSharp's native libraries and returns a table of what the kernel runs. TorchSharp loads libtorch in
    /// the static constructor of <c>torch</c>; a first call such as <c>torch.nn.Conv2d(...)</c> goes to a nested class
    /// that does not run it and fails with "Unable to load shared library 'LibTorchSharp'". Touching the device type
    /// here runs it. Referencing this class also registers <see cref="FSharpCoreBinding"/>, which Plotly.NET needs in
    /// the kernel, and under Jupyter <see cref="JupyterInterrupt"/> makes the interrupt button stop training rather than
    /// the kernel.
    /// </summary>
    public static TableView Check()
    {
        FSharpCoreBinding.Register();
        JupyterInterrupt.Install();
        torch.InitializeDeviceType(DeviceType.CPU);
        var isa = OneDnnIsa.InForce();
        var rows = new (string Component, Assembly Assembly)[]
        {
            ("TorchSharp", typeof(torch).Assembly),
            ("SkiaSharp", typeof(SkiaSharp.SKBitmap).Assembly),
            ("Plotly.NET", typeof(Plotly.NET.GenericChart).Assembly),
            ("FSharp.Core", typeof(Microsoft.FSharp.Core.Unit).Assembly),
            ("ArchGan", typeof(NotebookSetup).Assembly),
        };
        return new TableView(
            new[] { "Component", "Version", "From" },
            rows.Select(r => (IReadOnlyList<object?>)new object?[] { r.Component, VersionOf(r.Assembly), PackageOrFolder(r.Assembly) })
                .Append(new object?[] { "libtorch threads", torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture), Environment.ProcessorCount + " cores" })
                .Append(new object?[] { "oneDNN instruction set", isa.Value, isa.Source })
                .ToArray(),
            "What this kernel runs");
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "?";

    // Where it was loaded from, without this machine's folders: the NuGet package, or the folder's own name.
    private static string PackageOrFolder(Assembly assembly)
    {
        var location = assembly.Location;
        if (string.IsNullOrEmpty(location)) return "(in memory)";
        var parts = location.Replace('\\', '/').Split('/');
        var packages = Array.FindLastIndex(parts, p => p is "packages" or ".nuget");
        if (packages >= 0 && packages + 2 < parts.Length) return $"NuGet {parts[packages + 1]} {parts[packages + 2]}";
        var tools = Array.IndexOf(parts, "tools");
        return tools > 0 ? "the kernel's own copy" : string.Join('/', parts.TakeLast(4));
    }
}
