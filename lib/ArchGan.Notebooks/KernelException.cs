namespace ArchGan.Notebooks;

/// <summary>The .NET Interactive kernel could not be found, started or talked to; the message says what to do.</summary>
public sealed class KernelException(string message) : Exception(message);
