using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace ArchGan.Notebooks.Tests;

/// <summary>
/// The pinned dotnet-interactive tool started the way Jupyter starts it (<c>dotnet interactive jupyter … {connection
/// file}</c>, in a process group of its own), and a small client of the Jupyter messaging protocol: execute requests
/// on the shell channel, outputs read from the iopub channel, and the interrupt that Jupyter sends in its default
/// signal mode, SIGINT to the kernel's process group. It exists so that a test meets what a Jupyter reader meets.
/// </summary>
internal sealed class JupyterKernel : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const string Delimiter = "<IDS|MSG>";

    private readonly Process process;
    private readonly DealerSocket shell;
    private readonly SubscriberSocket iopub;
    private readonly HMACSHA256 signer;
    private readonly string session = Guid.NewGuid().ToString();
    private readonly StringBuilder log = new();

    private JupyterKernel(Process process, DealerSocket shell, SubscriberSocket iopub, string key)
    {
        this.process = process;
        this.shell = shell;
        this.iopub = iopub;
        signer = new HMACSHA256(Encoding.UTF8.GetBytes(key));
    }

    public bool HasExited => process.HasExited;

    /// <summary>What the kernel printed, for a failure message.</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <param name="sigIntIgnored">
    /// Start the kernel with SIGINT ignored, as a Jupyter server started in the background (<c>jupyter lab &amp;</c>
    /// from a script, <c>nohup</c>) hands it to its kernels: an ignored signal stays ignored across exec.
    /// </param>
    public static async Task<JupyterKernel> StartAsync(string workingDirectory, string connectionFolder, bool sigIntIgnored = false)
    {
        var tool = KernelTool.Find(workingDirectory);
        tool.EnsureRestored();
        // Jupyter signs with the key's text, not with the bytes it spells.
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var ports = Enumerable.Range(0, 5).Select(_ => FreePort()).ToArray();
        var connection = Path.Combine(connectionFolder, "kernel-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(connection, new JsonObject
        {
            ["transport"] = "tcp",
            ["ip"] = "127.0.0.1",
            ["shell_port"] = ports[0],
            ["iopub_port"] = ports[1],
            ["stdin_port"] = ports[2],
            ["control_port"] = ports[3],
            ["hb_port"] = ports[4],
            ["key"] = key,
            ["signature_scheme"] = "hmac-sha256",
        }.ToJsonString());

        // setsid: a process group of the kernel's own, as Jupyter gives it, so that SIGINT reaches the group and not
        // this test process.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.GetFullPath(workingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] ignoringSigInt = sigIntIgnored ? ["sh", "-c", "trap '' INT; exec \"$@\"", "sh"] : [];
        foreach (var argument in ignoringSigInt.Concat(["dotnet", "tool", "run", KernelTool.CommandName, "--", "jupyter", "--default-kernel", "csharp", connection, "--http-port-range", "2048-3000"]))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the kernel");
        var shell = new DealerSocket();
        shell.Connect($"tcp://127.0.0.1:{ports[0]}");
        var iopub = new SubscriberSocket();
        iopub.Connect($"tcp://127.0.0.1:{ports[1]}");
        iopub.SubscribeToAnyTopic();
        var kernel = new JupyterKernel(process, shell, iopub, key);
        process.OutputDataReceived += (_, e) => kernel.Append(e.Data);
        process.ErrorDataReceived += (_, e) => kernel.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            // Ready when it answers kernel_info on the shell channel.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                kernel.Send("kernel_info_request", new JsonObject());
                if (kernel.ShellReply(TimeSpan.FromSeconds(5)) is not null)
                {
                    await Task.Delay(500); // the iopub subscription settles
                    return kernel;
                }
            }
            throw new InvalidOperationException("the Jupyter kernel did not answer kernel_info: " + kernel.Log);
        }
        catch
        {
            await kernel.DisposeAsync(); // no kernel left running after a failed start
            throw;
        }
    }

    /// <summary>
    /// Executes <paramref name="code"/> and collects its iopub messages until the kernel is idle again.
    /// <paramref name="whileRunning"/> sees each message as it comes, for example to interrupt.
    /// </summary>
    public JupyterExecution Execute(string code, TimeSpan timeout, Action<JsonObject>? whileRunning = null)
    {
        var id = Send("execute_request", new JsonObject
        {
            ["code"] = code,
            ["silent"] = false,
            ["store_history"] = true,
            ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = false,
            ["stop_on_error"] = true,
        });
        var messages = new List<JsonObject>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) return new JupyterExecution(messages, Idle: false, KernelExited: true);
            var message = Receive(iopub, TimeSpan.FromSeconds(1));
            if (message is null || message["parent_header"]?["msg_id"]?.GetValue<string>() != id) continue;
            messages.Add(message);
            whileRunning?.Invoke(message);
            if (message["header"]!["msg_type"]!.GetValue<string>() == "status" && message["content"]!["execution_state"]!.GetValue<string>() == "idle")
                return new JupyterExecution(messages, Idle: true, KernelExited: false);
        }
        return new JupyterExecution(messages, Idle: false, KernelExited: process.HasExited);
    }

    /// <summary>Jupyter's interrupt in signal mode: SIGINT to the kernel's process group.</summary>
    public void Interrupt()
    {
        if (kill(-process.Id, SigInt) != 0)
            throw new InvalidOperationException($"kill(-{process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async ValueTask DisposeAsync()
    {
        shell.Dispose();
        iopub.Dispose();
        signer.Dispose();
        if (!process.HasExited)
        {
            _ = kill(-process.Id, SigKill);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).ConfigureAwait(false);
        }
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private string Send(string type, JsonObject content)
    {
        var id = Guid.NewGuid().ToString();
        var header = new JsonObject
        {
            ["msg_id"] = id,
            ["session"] = session,
            ["username"] = "archgan-tests",
            ["date"] = DateTime.UtcNow.ToString("o"),
            ["msg_type"] = type,
            ["version"] = "5.3",
        }.ToJsonString();
        var parts = new[] { header, "{}", "{}", content.ToJsonString() };
        var message = new NetMQMessage();
        message.Append(Delimiter);
        message.Append(Sign(parts));
        foreach (var part in parts) message.Append(part, Encoding.UTF8);
        shell.SendMultipartMessage(message);
        return id;
    }

    private JsonObject? ShellReply(TimeSpan timeout) => Receive(shell, timeout);

    private JsonObject? Receive(NetMQSocket socket, TimeSpan timeout)
    {
        var message = new NetMQMessage();
        if (!socket.TryReceiveMultipartMessage(timeout, ref message)) return null;
        var frames = message.Select(f => f.ConvertToString(Encoding.UTF8)).ToList();
        var at = frames.IndexOf(Delimiter);
        if (at < 0 || frames.Count < at + 6) return null;
        var parts = frames.Skip(at + 2).Take(4).ToArray();
        if (frames[at + 1] != Sign(parts)) throw new InvalidOperationException("a kernel message with a wrong signature");
        return new JsonObject
        {
            ["header"] = JsonNode.Parse(parts[0]),
            ["parent_header"] = JsonNode.Parse(parts[1]),
            ["content"] = JsonNode.Parse(parts[3]),
        };
    }

    private string Sign(IEnumerable<string> parts)
    {
        lock (signer)
        {
            signer.Initialize();
            var bytes = parts.SelectMany(p => Encoding.UTF8.GetBytes(p)).ToArray();
            return Convert.ToHexString(signer.ComputeHash(bytes)).ToLowerInvariant();
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}

/// <summary>The iopub messages of one execute request.</summary>
internal sealed record JupyterExecution(IReadOnlyList<JsonObject> Messages, bool Idle, bool KernelExited)
{
    private IEnumerable<JsonObject> OfType(string type) => Messages.Where(m => m["header"]!["msg_type"]!.GetValue<string>() == type);

    /// <summary>"ename: evalue" of each error output.</summary>
    public IReadOnlyList<string> Errors => OfType("error").Select(m => $"{m["content"]!["ename"]}: {m["content"]!["evalue"]}").ToList();

    /// <summary>The text/plain of the cell's result, if it returned one.</summary>
    public string? Result => OfType("execute_result").Select(m => m["content"]!["data"]?["text/plain"]?.GetValue<string>()).LastOrDefault();

    /// <summary>How many times an output was replaced in place.</summary>
    public int Updates => OfType("update_display_data").Count();

    public override string ToString() =>
        $"idle {Idle}, exited {KernelExited}, errors [{string.Join("; ", Errors)}], result {Result}, {Messages.Count} messages";
}
