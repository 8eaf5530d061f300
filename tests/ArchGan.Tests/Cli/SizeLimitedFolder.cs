using System.Diagnostics;

namespace ArchGan.Tests.Cli;

/// <summary>
/// Runs a command with a real, small disk: a tmpfs of a given size mounted over a folder in a user and mount
/// namespace of the command's own (<c>unshare --user --map-root-user --mount</c>), which needs no privileges and
/// leaves the machine's mounts alone. The mount goes with the command, so what it left in the folder is copied
/// out first, for the test to inspect and load.
/// </summary>
internal static class SizeLimitedFolder
{
    /// <summary>The command's exit code and its standard output and error, together.</summary>
    internal sealed record Result(int ExitCode, string Output)
    {
        public string[] Lines => Output.Split('\n', StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Mounts <paramref name="kilobytes"/> KiB of tmpfs over <paramref name="folder"/>, runs <paramref name="setup"/>
    /// (shell, with the folder as <c>$m</c>) and then <paramref name="command"/> in <paramref name="workingDirectory"/>,
    /// and copies what the folder holds afterwards, hidden files too, into <paramref name="copy"/>.
    /// </summary>
    public static Result Run(string folder, int kilobytes, string copy, string workingDirectory, string[] command, string setup = ":")
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(copy);
        const string script = """
            m="$1"; size="$2"; copy="$3"; shift 3
            mount -t tmpfs -o size="$size"k tmpfs "$m" || exit 97
            SETUP
            "$@"; rc=$?
            cp -a "$m/." "$copy/"
            exit $rc
            """;
        var (exitCode, output) = Shell(["sh", "-c", script.Replace("SETUP", setup), "sh", folder, kilobytes.ToString(), copy, .. command],
            TimeSpan.FromMinutes(3), workingDirectory);
        Assert.True(exitCode != 97, $"the tmpfs did not mount: {output}");
        return new Result(exitCode, output);
    }

    /// <summary>Runs <paramref name="arguments"/> under <c>unshare --user --map-root-user --mount</c>.</summary>
    public static (int ExitCode, string Output) Shell(string[] arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in new[] { "--user", "--map-root-user", "--mount" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', arguments)} did not finish in {timeout}: {output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
