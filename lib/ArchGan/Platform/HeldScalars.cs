using TorchSharp;

namespace ArchGan.Platform;

/// <summary>
/// Native Scalars that live as long as the process, for the arguments TorchSharp 0.107 would otherwise make up
/// on the spot.
/// </summary>
/// <remarks>
/// TorchSharp's one-argument <c>add</c> and <c>add_</c> (and so the <c>+</c> operator and <c>scalar - tensor</c>)
/// call the two-argument overload with <c>alpha: 1</c>, a Scalar that nothing references once its handle is passed
/// to libtorch. A garbage collection started by another thread during the call can then let the finalizer free it
/// while libtorch reads it (docs/troubleshooting.md, "TorchSharp's temporary Scalars"). Code on the training path
/// passes <see cref="One"/> as alpha instead. A static field is a root for the process's life, so it is never
/// finalized, and libtorch only reads a Scalar, so threads may share it.
/// </remarks>
internal static class HeldScalars
{
    /// <summary>1 as an integer, the alpha TorchSharp's own overloads pass: valid for integer tensors as for floats.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
