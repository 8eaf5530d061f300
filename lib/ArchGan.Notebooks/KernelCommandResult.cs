namespace ArchGan.Notebooks;

/// <summary>How a kernel command ended: the kernel's CommandSucceeded or CommandFailed, with its message.</summary>
/// <param name="Succeeded">True for CommandSucceeded.</param>
/// <param name="Message">CommandFailed's message: the exception, the compiler's errors, or "Command cancelled.".</param>
/// <param name="KernelExited">True when the kernel process died before it answered.</param>
public sealed record KernelCommandResult(bool Succeeded, string? Message, bool KernelExited = false);
