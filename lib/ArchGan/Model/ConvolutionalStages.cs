using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArchGan.Model;

/// <summary>
/// Runs a network's convolutional stages in the precision it computes in, and each convolution by the fastest
/// route measured for its shape (<see cref="BatchWeightGradient"/>).
/// </summary>
/// <remarks>
/// bfloat16 is an explicit form of PyTorch's CPU autocast, which TorchSharp 0.107 lacks: the activations are
/// cast to bfloat16 once on the way in and back to float32 once on the way out; in between, each convolution
/// casts its float32 weights inside the autograd graph (so their gradients come back as float32 for Adam),
/// and BatchNorm takes bfloat16 in and out while it normalizes, keeps its running statistics and learns its
/// scale and shift in float32 (libtorch's mixed-type CPU kernel).
/// </remarks>
internal static class ConvolutionalStages
{
    /// <summary>
    /// <paramref name="x"/> through <paramref name="modules"/> in turn: a <see cref="Sequential"/> is walked
    /// child by child, a convolution computes in <paramref name="precision"/>, any other layer runs as it is
    /// on the tensor it is given. The result is float32 either way.
    /// </summary>
    public static Tensor Run(Tensor x, Precision precision, params nn.Module<Tensor, Tensor>[] modules)
    {
        if (precision == Precision.Float32)
            return modules.Aggregate(x, Walk);
        // One cast in and one out, not one around each convolution: between the layers the tensors stay
        // bfloat16, half the memory traffic of float32, and no activation is copied just to change its type.
        // That took the article's bfloat16 iteration at batch 16 from 2.68 to 2.56 s (`archgan bench`).
        var y = modules.Aggregate(x.to(ScalarType.BFloat16), Walk);
        return y.to(ScalarType.Float32);
    }

    private static Tensor Walk(Tensor x, nn.Module<Tensor, Tensor> module) => module switch
    {
        Sequential sequence => sequence.children().Cast<nn.Module<Tensor, Tensor>>().Aggregate(x, Walk),
        Convolution conv => Convolve(conv, x),
        _ => module.call(x),
    };

    private static Tensor Convolve(Convolution conv, Tensor x)
    {
        bool routed = BatchWeightGradient.Pays(conv, x);
        if (!routed && x.dtype == ScalarType.Float32)
            return conv.call(x); // the module's own call: float32 stays bit for bit what it always was
        if (conv.groups != 1 || conv.dilation.Any(d => d != 1) || conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException("Only plain convolutions are supported: no groups, dilation, padding modes or named padding.");
        var weight = conv.weight!.to(x.dtype);
        var bias = conv.bias?.to(x.dtype);
        if (routed)
            return BatchWeightGradient.Apply(conv, x, weight, bias);
        return conv.transposed
            ? conv_transpose2d(x, weight, bias, strides: conv.stride, padding: conv.padding, output_padding: conv.output_padding)
            : conv2d(x, weight, bias, strides: conv.stride, padding: conv.padding);
    }
}
