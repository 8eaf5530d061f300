using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArchGan.Model;

/// <summary>
/// Runs a network's convolutions in a lower precision while everything else stays float32: an explicit
/// form of PyTorch's CPU autocast, which TorchSharp 0.107 lacks. The float32 weights are cast inside the
/// autograd graph, so their gradients come back as float32 and Adam updates float32 master weights.
/// </summary>
internal static class MixedPrecision
{
    /// <summary>
    /// <paramref name="x"/> through <paramref name="module"/>: a <see cref="Sequential"/> is walked child by
    /// child, a convolution computes in <paramref name="precision"/>, any other layer runs as it is.
    /// </summary>
    public static Tensor Call(nn.Module<Tensor, Tensor> module, Tensor x, Precision precision)
    {
        if (precision == Precision.Float32) return module.call(x);
        switch (module)
        {
            case Sequential sequence:
                foreach (var child in sequence.children())
                    x = Call((nn.Module<Tensor, Tensor>)child, x, precision);
                return x;
            case Convolution conv:
                return Convolve(conv, x, ScalarType.BFloat16);
            default:
                return module.call(x);
        }
    }

    // The result goes back to float32 at once, so BatchNorm normalizes and keeps its statistics in float32.
    private static Tensor Convolve(Convolution conv, Tensor x, ScalarType compute)
    {
        if (conv.groups != 1 || conv.dilation.Any(d => d != 1) || conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException("Mixed precision handles plain convolutions only: no groups, dilation, padding modes or named padding.");
        var input = x.to(compute);
        var weight = conv.weight!.to(compute);
        var bias = conv.bias?.to(compute);
        var y = conv.transposed
            ? conv_transpose2d(input, weight, bias, strides: conv.stride, padding: conv.padding, output_padding: conv.output_padding)
            : conv2d(input, weight, bias, strides: conv.stride, padding: conv.padding);
        return y.to(ScalarType.Float32);
    }
}
