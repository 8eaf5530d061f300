namespace ArchGan.Notebooks;

/// <summary>
/// A directive the runner cannot honor (a package it does not carry, a missing #r file); recorded as the
/// cell's error output, like a restore failure in the real kernel.
/// </summary>
internal sealed class NotebookDirectiveException : Exception
{
    public NotebookDirectiveException(string message)
        : base(message)
    {
    }
}
