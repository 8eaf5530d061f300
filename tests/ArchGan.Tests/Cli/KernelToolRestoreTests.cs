using System.Diagnostics;

namespace ArchGan.Tests.Cli;

/// <summary>
/// Two <c>archgan notebooks run</c> started at once on a machine whose NuGet cache and .NET CLI home are empty, as
/// <c>dotnet test</c> does on a fresh CI machine when both test projects start a kernel: each restores the kernel
/// tool first, and both must run their notebook. Unserialized, one restore meets the other's half-extracted package
/// and its kernel never starts ("Run dotnet tool restore").
/// </summary>
public class KernelToolRestoreTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "ArchGan.Cli.dll");

    private const string OneCell = """
        {"cells":[{"cell_type":"code","execution_count":null,"id":"a","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["20 + 22"]}],
         "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"},
          "polyglot_notebook":{"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}},
         "nbformat":4,"nbformat_minor":5}
        """;

    [Fact]
    public async Task Two_runs_that_start_together_on_an_empty_NuGet_cache_both_restore_the_kernel_and_run()
    {
        var root = TestData.TempDirectory();
        var packages = Directory.CreateDirectory(Path.Combine(root, "nuget")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        try
        {
            var runs = Enumerable.Range(1, 2).Select(i =>
            {
                var notebook = Path.Combine(root, $"n{i}.ipynb");
                File.WriteAllText(notebook, OneCell);
                var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { Cli, "notebooks", "run", notebook, "--inplace" }) start.ArgumentList.Add(arg);
                start.Environment["NUGET_PACKAGES"] = packages;
                start.Environment["DOTNET_CLI_HOME"] = home;
                return (Notebook: notebook, Process: Process.Start(start)!);
            }).ToList();

            foreach (var (notebook, process) in runs)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                await process.WaitForExitAsync(timeout.Token);
                Assert.True(process.ExitCode == 0, $"{Path.GetFileName(notebook)}: exit {process.ExitCode}: {await output}{await error}");
                Assert.Contains("<pre>42</pre>", File.ReadAllText(notebook));
                process.Dispose();
            }
        }
        finally
        {
            // The restored tool is a few hundred megabytes.
            Directory.Delete(packages, recursive: true);
        }
    }
}
