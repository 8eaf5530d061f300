using ArchGan.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// BatchNorm over the channels of N x C x H x W (Ioffe and Szegedy 2015): TorchSharp's BatchNorm2d, with the same
/// parameters, buffers and names, whose batch counter is advanced by a Scalar kept for the module's life.
/// TorchSharp 0.107 advances it with <c>num_batches_tracked.add_(1)</c>, a temporary Scalar that a garbage
/// collection started by another thread can free while libtorch reads it (see <see cref="Training.SafeAdam"/>).
/// The increment and alpha are both held: <c>add_(scalar)</c> alone makes a temporary alpha of its own
/// (<see cref="Platform.HeldScalars"/>).
/// </summary>
public sealed class SafeBatchNorm2d : BatchNorm
{
    private readonly Scalar one = 1L.ToScalar();

    /// <summary>BatchNorm of <paramref name="features"/> channels, momentum 0.1, learned scale and shift.</summary>
    public SafeBatchNorm2d(long features, double eps = 1e-5)
        : base(features, eps, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training) num_batches_tracked?.add_(one, HeldScalars.One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4) throw new ArgumentException($"BatchNorm2d expects N x C x H x W, got {input.ndim} dimensions.");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}
