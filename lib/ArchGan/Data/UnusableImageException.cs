namespace ArchGan.Data;

/// <summary>
/// One file could not be turned into an image. Caught by <see cref="ImageFolder"/> and turned into a
/// <see cref="SkippedFile"/>; the message is the reason shown to the user, so it is short and lower-case.
/// </summary>
internal sealed class UnusableImageException(string reason) : Exception(reason);
