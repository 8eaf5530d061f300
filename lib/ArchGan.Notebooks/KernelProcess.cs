using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArchGan.Notebooks;

/// <summary>
/// One .NET Interactive kernel process, driven the way the Polyglot Notebooks extension drives it:
/// <c>dotnet interactive stdio</c>, with kernel commands written to its standard input and kernel events read
/// from its standard output, one JSON envelope a line. The kernel is the dotnet-interactive tool pinned in the
/// repository's tool manifest (<see cref="KernelTool"/>), so what runs here is what a reader's notebook runs in.
/// </summary>
/// <remarks>
/// Commands run one at a time, as the kernel schedules them anyway. Events belong to the command whose token
/// they carry; the kernel gives commands it spawns (the hidden <c>using static</c> submission, a <c>#r</c>'s
/// restore) tokens of the form "parent.N", which count as the parent's.
/// </remarks>
public sealed class KernelProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<string, Pending> pendingCommands = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> stderrTail = new();
    private readonly object writeLock = new();
    private int nextToken;

    private KernelProcess(Process process)
    {
        this.process = process;
    }

    /// <summary>The operating system's id of the kernel process.</summary>
    public int ProcessId => process.Id;

    /// <summary>True once the kernel process has exited.</summary>
    public bool HasExited => exited.Task.IsCompleted;

    /// <summary>
    /// Starts a kernel whose working directory is <paramref name="workingDirectory"/> (a notebook's folder, against
    /// which its relative paths resolve, as in VS Code and Jupyter) and waits until it says it is ready.
    /// </summary>
    public static async Task<KernelProcess> StartAsync(string workingDirectory, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        var tool = KernelTool.Find(workingDirectory);
        tool.EnsureRestored();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = tool.ManifestRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in new[] { "tool", "run", KernelTool.CommandName, "--", "stdio", "--default-kernel", "csharp", "--working-dir", Path.GetFullPath(workingDirectory) })
        {
            start.ArgumentList.Add(argument);
        }
        // The first-run banner would otherwise be printed into the event stream, and a headless run sends nothing.
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var process = Process.Start(start) ?? throw new KernelException("Could not start `dotnet tool run dotnet-interactive`.");
        var kernel = new KernelProcess(process);
        kernel.StartReading();
        var timeout = Task.Delay(startTimeout ?? TimeSpan.FromMinutes(2), cancellationToken);
        var first = await Task.WhenAny(kernel.ready.Task, kernel.exited.Task, timeout).ConfigureAwait(false);
        if (first != kernel.ready.Task)
        {
            var why = first == kernel.exited.Task
                ? $"exited with code {SafeExitCode(process)} before it was ready"
                : cancellationToken.IsCancellationRequested ? "start was cancelled" : "did not say it was ready in time";
            var tail = kernel.StandardErrorTail();
            await kernel.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new KernelException($"The .NET Interactive kernel ({tool.Describe()}) {why}." +
                (tail.Length > 0 ? $" It said: {tail}" : $" Run `dotnet tool restore` in {tool.ManifestRoot}."));
        }
        return kernel;
    }

    /// <summary>
    /// Submits code to the kernel named <paramref name="kernelName"/> and waits until it succeeds or fails;
    /// every event the submission raises is passed to <paramref name="onEvent"/>, on a reader thread, in order.
    /// Cancelling <paramref name="cancellationToken"/> sends the kernel a Cancel command, as Stop does in VS Code.
    /// </summary>
    public async Task<KernelCommandResult> SubmitCodeAsync(string code, string kernelName, Action<KernelEvent> onEvent, CancellationToken cancellationToken = default)
    {
        var token = $"archgan-{Interlocked.Increment(ref nextToken)}";
        var pending = new Pending(onEvent);
        pendingCommands[token] = pending;
        try
        {
            Send(new JsonObject
            {
                ["token"] = token,
                ["commandType"] = "SubmitCode",
                ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
            });
            using (cancellationToken.Register(() => Cancel()))
            {
                var done = await Task.WhenAny(pending.Completion.Task, exited.Task).ConfigureAwait(false);
                if (done != pending.Completion.Task)
                {
                    return new KernelCommandResult(false,
                        $"The kernel process exited (code {SafeExitCode(process)}) while the cell ran. {StandardErrorTail()}".TrimEnd(), KernelExited: true);
                }
            }
            return await pending.Completion.Task.ConfigureAwait(false);
        }
        finally
        {
            pendingCommands.TryRemove(token, out _);
        }
    }

    /// <summary>
    /// Asks the kernel to cancel what it runs: it cancels the running cell's token at once and fails the command;
    /// the code itself runs on until it looks at that token (training stops at its next batch).
    /// </summary>
    public void Cancel()
    {
        if (HasExited) return;
        try
        {
            Send(new JsonObject
            {
                ["token"] = $"archgan-cancel-{Interlocked.Increment(ref nextToken)}",
                ["commandType"] = "Cancel",
                ["command"] = new JsonObject(),
            });
        }
        catch (IOException)
        {
            // The kernel is gone; there is nothing left to cancel.
        }
    }

    /// <summary>
    /// Waits until code the kernel still runs after a Cancel has returned, by submitting an empty cell, which the
    /// kernel starts only then. True when that happened within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout)
    {
        if (HasExited) return false;
        var idle = SubmitCodeAsync("// idle", "csharp", _ => { });
        return await Task.WhenAny(idle, Task.Delay(timeout)).ConfigureAwait(false) == idle && (await idle).Succeeded;
    }

    /// <summary>Ends the kernel process and everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            try
            {
                process.StandardInput.Close();
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
            await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        }
        process.Dispose();
    }

    private void Send(JsonObject envelope)
    {
        var line = envelope.ToJsonString();
        lock (writeLock)
        {
            process.StandardInput.WriteLine(line);
            process.StandardInput.Flush();
        }
    }

    private void StartReading()
    {
        var stdout = new Thread(ReadEvents) { IsBackground = true, Name = "kernel stdout" };
        stdout.Start();
        var stderr = new Thread(() =>
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                lock (stderrTail)
                {
                    stderrTail.Enqueue(line);
                    while (stderrTail.Count > 20) stderrTail.Dequeue();
                }
            }
        })
        { IsBackground = true, Name = "kernel stderr" };
        stderr.Start();
    }

    private void ReadEvents()
    {
        try
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (!line.StartsWith('{')) continue; // banners and log lines are not events
                JsonObject envelope;
                try
                {
                    envelope = JsonNode.Parse(line)!.AsObject();
                }
                catch (JsonException)
                {
                    continue;
                }
                Dispatch(envelope);
            }
        }
        finally
        {
            // Not ready: a kernel that exits before it says so must read as failed to start.
            exited.TrySetResult();
        }
    }

    private void Dispatch(JsonObject envelope)
    {
        var type = envelope["eventType"]?.GetValue<string>();
        if (type is null) return;
        if (type == "KernelReady")
        {
            ready.TrySetResult();
            return;
        }
        var token = envelope["command"]?["token"]?.GetValue<string>();
        if (token is null) return;
        var root = token.Split('.')[0];
        if (!pendingCommands.TryGetValue(root, out var pending)) return;
        var data = envelope["event"] as JsonObject ?? new JsonObject();
        // A spawned command's own success or failure is reported to its parent as the parent's outcome later.
        var own = token == root;
        if (own && type is "CommandSucceeded" or "CommandFailed")
        {
            pending.Completion.TrySetResult(new KernelCommandResult(type == "CommandSucceeded", data["message"]?.GetValue<string>()));
            return;
        }
        if (!own && type is "CommandSucceeded") return;
        pending.OnEvent(new KernelEvent(type, data));
    }

    private string StandardErrorTail()
    {
        lock (stderrTail)
        {
            return string.Join(" ", stderrTail).Trim();
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private sealed class Pending(Action<KernelEvent> onEvent)
    {
        public Action<KernelEvent> OnEvent { get; } = onEvent;
        public TaskCompletionSource<KernelCommandResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
