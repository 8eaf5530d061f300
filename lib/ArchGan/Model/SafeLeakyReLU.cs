using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// LeakyReLU (Maas et al. 2013), as TorchSharp's, with its slope made into a native Scalar once and kept for the
/// module's life. TorchSharp 0.107's module converts the slope on every call and lets the Scalar go while libtorch
/// reads it, so a garbage collection started by another thread can free it mid-call (see <see cref="Training.SafeAdam"/>).
/// </summary>
public sealed class SafeLeakyReLU : nn.Module<Tensor, Tensor>
{
    private readonly Scalar slope;
    private readonly bool inplace;

    /// <summary>f(x) = x for x ≥ 0, <paramref name="negativeSlope"/>·x below; <paramref name="inplace"/> overwrites x.</summary>
    public SafeLeakyReLU(double negativeSlope, bool inplace = false) : base("LeakyReLU")
    {
        NegativeSlope = negativeSlope;
        slope = negativeSlope.ToScalar();
        this.inplace = inplace;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => inplace ? x.leaky_relu_(slope).alias() : x.leaky_relu(slope);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) slope.Dispose();
        base.Dispose(disposing);
    }
}
