using System.Reflection;

namespace ArchGan.Platform;

/// <summary>
/// The cancellation token of the notebook cell that is running, for long work such as
/// <c>trainer.Train(KernelCancellation.Token)</c>: the .NET Interactive kernel cannot stop running C# code,
/// it can only cancel this token, so training that watches it stops at the next batch and saves a checkpoint
/// when a reader presses Stop in VS Code or interrupts in Jupyter (<see cref="JupyterInterrupt"/>). Found by name, so
/// the library needs no .NET Interactive package.
/// </summary>
public static class KernelCancellation
{
    /// <summary>
    /// <c>KernelInvocationContext.Current.CancellationToken</c> of the .NET Interactive kernel when it is loaded
    /// (the kernel cancels it for Stop in VS Code and for the headless runner's Ctrl+C), joined with
    /// <see cref="JupyterInterrupt.Token"/> once that is installed; otherwise <see cref="CancellationToken.None"/>.
    /// </summary>
    public static CancellationToken Token
    {
        get
        {
            var kernel = FromKernel() ?? CancellationToken.None;
            if (!JupyterInterrupt.Installed) return kernel;
            // Not disposed: one small source per call, which the two tokens hold until they are cancelled or disposed.
            return kernel.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(kernel, JupyterInterrupt.Token).Token : JupyterInterrupt.Token;
        }
    }

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
