using System.Reflection;

namespace ArchGan.Display;

/// <summary>
/// The cancellation token of the notebook cell that is running, for long work such as
/// <c>trainer.Train(KernelCancellation.Token)</c>: the .NET Interactive kernel cannot stop running C# code,
/// it can only cancel this token, so training that watches it stops at the next batch and saves a checkpoint
/// when a reader presses Stop. Found by name, so the library needs no .NET Interactive package; the
/// headless runner supplies its own token through <see cref="Override"/>.
/// </summary>
public static class KernelCancellation
{
    private static readonly AsyncLocal<CancellationToken?> OverrideToken = new();

    /// <summary>Set by a host that runs notebook code itself (ArchGan's notebook runner); flows with the async context.</summary>
    public static CancellationToken? Override
    {
        get => OverrideToken.Value;
        set => OverrideToken.Value = value;
    }

    /// <summary>
    /// <see cref="Override"/> if a host set one; otherwise <c>KernelInvocationContext.Current.CancellationToken</c>
    /// of the .NET Interactive kernel when it is loaded; otherwise <see cref="CancellationToken.None"/>.
    /// </summary>
    public static CancellationToken Token => Override ?? FromKernel() ?? CancellationToken.None;

    private static CancellationToken? FromKernel()
    {
        var context = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "Microsoft.DotNet.Interactive")
            .Select(a => a.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext"))
            .FirstOrDefault(t => t is not null);
        var current = context?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        return current?.GetType().GetProperty("CancellationToken")?.GetValue(current) as CancellationToken?;
    }
}
