using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// The article's initialization: every convolution and dense weight from a normal with standard deviation
/// 0.02 truncated at two deviations (TensorFlow's truncated_normal_initializer), biases zero, BatchNorm
/// scale one and shift zero. <see cref="Training.GanTrainer"/> draws from a generator of its own, seeded from the
/// recipe, so that nothing else drawing random numbers at the same time can change a run's first weights.
/// </summary>
public static class Initialization
{
    /// <summary>Re-initializes every layer of <paramref name="module"/> in place, drawing from <paramref name="random"/> (torch's global generator when null).</summary>
    public static void Apply(nn.Module module, double std, torch.Generator? random = null)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, layer) in module.named_modules())
        {
            switch (layer)
            {
                case Conv2d or ConvTranspose2d or Linear:
                    TruncatedNormal((Tensor)layer.get_parameter("weight")!, std, random);
                    var bias = layer.get_parameter("bias");
                    if (bias is not null) nn.init.zeros_(bias);
                    break;
                case SafeBatchNorm2d or BatchNorm2d:
                    nn.init.ones_(layer.get_parameter("weight")!);
                    nn.init.zeros_(layer.get_parameter("bias")!);
                    break;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="tensor"/> from N(0, std²) truncated to [-2·std, 2·std], by inverting the normal
    /// CDF on uniform draws between Φ(-2) and Φ(2). TorchSharp 0.107's nn.init.trunc_normal_ returns a
    /// constant tensor, so it cannot be used.
    /// </summary>
    public static void TruncatedNormal(Tensor tensor, double std, torch.Generator? random = null)
    {
        using var noGrad = torch.no_grad();
        const double phiOfMinus2 = 0.022750131948179195; // Φ(-2)
        using var uniform = torch.empty_like(tensor).uniform_(2 * phiOfMinus2 - 1, 1 - 2 * phiOfMinus2, random);
        // A held Scalar: a temporary one can be freed mid-call by another thread's collection (see Training.SafeAdam),
        // and a notebook builds trainers while the kernel's threads run.
        using var scale = (Math.Sqrt(2) * std).ToScalar();
        using var normal = uniform.erfinv_().mul_(scale);
        tensor.copy_(normal);
    }
}
