using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ArchGan.Platform;

/// <summary>
/// Jupyter's interrupt button for the .NET Interactive kernel. Jupyter interrupts a kernel by sending SIGINT to its
/// process group (the kernelspec that <c>dotnet interactive jupyter install</c> writes names no interrupt mode, so the
/// signal mode applies). The kernel runs under the .NET generic host, whose console lifetime answers SIGINT by
/// shutting the host down: an interrupt used to end the kernel, and the reader lost every variable with it.
/// <see cref="Install"/> swaps that one handler for one that cancels <see cref="Token"/>, which
/// <see cref="KernelCancellation.Token"/> includes, so training stops at its next batch with a checkpoint, as it does
/// for Stop in VS Code, and the kernel stays. SIGTERM and SIGQUIT still shut the kernel down.
/// </summary>
/// <remarks>
/// The host keeps its handler in a private registration; it is found through the runtime's table of registered
/// handlers, by the type that registered it. Where it is not found (VS Code and the headless runner, which interrupt
/// through the kernel's Cancel command instead, or another runtime's layout) nothing changes.
/// <para>
/// A Jupyter server started in the background (<c>jupyter lab &amp;</c> from a script, <c>nohup</c>) hands its kernels
/// SIGINT already ignored, and the .NET runtime keeps an inherited ignore: its handlers never see the signal. ipykernel
/// takes SIGINT back in that case, and so does <see cref="Install"/> on Linux: it gives SIGINT the runtime's own
/// signal handler, read off SIGTERM, which the host has registered, so the interrupt reaches the registration above.
/// </para>
/// </remarks>
public static class JupyterInterrupt
{
    private static readonly object Gate = new();
    private static CancellationTokenSource current = new();
    private static PosixSignalRegistration? registration;

    /// <summary>Whether SIGINT now stops work instead of the kernel.</summary>
    public static bool Installed
    {
        get
        {
            lock (Gate) return registration is not null;
        }
    }

    /// <summary>
    /// Cancelled by the next SIGINT after it was read. Each interrupt cancels the token handed out so far and starts a
    /// new one, so a cell run after an interrupt is not cancelled by it.
    /// </summary>
    public static CancellationToken Token => Volatile.Read(ref current).Token;

    /// <summary>
    /// Takes SIGINT over from the generic host if this process runs one that would shut down on it; safe to call again.
    /// Returns whether SIGINT now stops work instead of the kernel.
    /// </summary>
    public static bool Install()
    {
        if (OperatingSystem.IsWindows()) return false;
        lock (Gate)
        {
            if (registration is not null) return true;
            var hostRegistration = HostSigIntRegistration();
            if (hostRegistration is null) return false;
            // Ours first, then the host's goes: there is no moment at which SIGINT would fall to the default, which ends
            // the process.
            registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            hostRegistration.Dispose();
            if (OperatingSystem.IsLinux()) TakeBackIgnoredSigInt();
            return true;
        }
    }

    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const long SigDfl = 0, SigIgn = 1;
    private const int SigactionBytes = 512; // glibc's struct sigaction is 152 bytes on x86-64 and arm64; room to spare

    // Where SIGINT is ignored, the runtime installed no handler for it; SIGTERM's is the runtime's one handler for every
    // signal it catches, which routes SIGINT to the registrations. Each struct sigaction is copied whole, so its
    // layout beyond the handler in its first field does not matter.
    private static void TakeBackIgnoredSigInt()
    {
        var sigint = new byte[SigactionBytes];
        var sigterm = new byte[SigactionBytes];
        if (sigaction(SigInt, null, sigint) != 0 || Handler(sigint) != SigIgn) return;
        if (sigaction(SigTerm, null, sigterm) != 0 || Handler(sigterm) is SigDfl or SigIgn) return;
        _ = sigaction(SigInt, sigterm, null);
    }

    private static long Handler(byte[] action) => BitConverter.ToInt64(action, 0);

    [DllImport("libc")]
    private static extern int sigaction(int signal, [In] byte[]? action, [In, Out] byte[]? previous);

    private static void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process
        Interlocked.Exchange(ref current, new CancellationTokenSource()).Cancel();
    }

    // The generic host's ConsoleLifetime registers one handler for SIGINT, SIGQUIT and SIGTERM, and keeps each
    // registration in a field of its own. The runtime's table of handlers leads to it: a handler for SIGINT whose target
    // is a ConsoleLifetime, and the field of that target whose registration holds that very handler.
    private static PosixSignalRegistration? HostSigIntRegistration()
    {
        const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var table in typeof(PosixSignalRegistration).GetFields(any | BindingFlags.Static))
        {
            if (table.GetValue(null) is not { } value) continue;
            List<object> tokens;
            lock (value) tokens = Tokens(value, depth: 0).ToList(); // the runtime changes the table under this lock
            foreach (var token in tokens)
            {
                var type = token.GetType();
                if (type.GetProperty("Signal", any | BindingFlags.Instance)?.GetValue(token) is not PosixSignal.SIGINT) continue;
                if (type.GetProperty("Handler", any | BindingFlags.Instance)?.GetValue(token) is not Delegate handler) continue;
                if (handler.Target is not { } lifetime || lifetime.GetType().Name != "ConsoleLifetime") continue;
                foreach (var field in lifetime.GetType().GetFields(any | BindingFlags.Instance))
                {
                    if (field.GetValue(lifetime) is PosixSignalRegistration held && Holds(held, token)) return held;
                }
            }
        }
        return null;
    }

    private static bool Holds(PosixSignalRegistration held, object token) =>
        held.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Any(f => ReferenceEquals(f.GetValue(held), token));

    // The table is a set, list or dictionary of tokens, or a dictionary of such, depending on the runtime's version.
    private static IEnumerable<object> Tokens(object? value, int depth)
    {
        if (value is null || depth > 3 || value is string) yield break;
        if (value.GetType().GetProperty("Handler", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance) is not null)
        {
            yield return value;
            yield break;
        }
        IEnumerable? items = value is IDictionary dictionary ? dictionary.Values : value as IEnumerable;
        if (items is null) yield break;
        foreach (var item in items)
        {
            foreach (var token in Tokens(item, depth + 1)) yield return token;
        }
    }
}
