using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArchGan.Model;

/// <summary>
/// The speed swap behind every convolution of <see cref="Generator"/> and <see cref="Discriminator"/>: the
/// module's own call where that is the fastest route, otherwise the same convolution with its weights cast to
/// the activations' type (bfloat16, <see cref="Precision.BFloat16"/>) or with its weight gradient computed by
/// <see cref="BatchWeightGradient"/>. The forward pass computes the same numbers either way.
/// </summary>
/// <remarks>
/// bfloat16 is an explicit form of PyTorch's CPU autocast, which TorchSharp 0.107 lacks: a network casts its
/// activations to bfloat16 once before its first convolution and back once after its last (cast around each
/// convolution instead, every activation would be copied just to change its type); here each convolution
/// casts its float32 weights inside the autograd graph, so their gradients come back as float32 for Adam.
/// BatchNorm takes bfloat16 in and out while it keeps its running statistics, scale and shift in float32
/// (libtorch's mixed-type CPU kernel).
/// </remarks>
internal static class FastConvolution
{
    [ThreadStatic]
    private static bool throughModules;

    /// <summary>
    /// While true, every convolution on this thread goes through its module's own call in float32, whatever the
    /// network's precision: forward hooks, which <see cref="ModelSummary"/> reads the layers with, fire only there.
    /// </summary>
    public static bool ThroughModules
    {
        get => throughModules;
        set => throughModules = value;
    }

    [ThreadStatic]
    private static bool twiceDifferentiable;

    /// <summary>
    /// While true, no convolution on this thread takes <see cref="BatchWeightGradient"/>, whose backward pass
    /// computes first derivatives only: a penalty on D's input gradient (<see cref="Training.GanTrainer.R1Step"/>)
    /// is differentiated a second time, through libtorch's own convolution backward.
    /// </summary>
    public static bool TwiceDifferentiable
    {
        get => twiceDifferentiable;
        set => twiceDifferentiable = value;
    }

    /// <summary><paramref name="conv"/> applied to <paramref name="x"/>, computing in <paramref name="x"/>'s type.</summary>
    public static Tensor Apply(Convolution conv, Tensor x)
    {
        if (throughModules)
            return conv.call(x.to(ScalarType.Float32)).to(x.dtype);
        bool fastBackward = !twiceDifferentiable && BatchWeightGradient.Pays(conv, x);
        if (!fastBackward && x.dtype == ScalarType.Float32)
            return conv.call(x); // the plain path: float32 stays bit for bit what libtorch's module computes
        if (conv.groups != 1 || conv.dilation.Any(d => d != 1) || conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException("Only plain convolutions are supported: no groups, dilation, padding modes or named padding.");
        var weight = conv.weight!.to(x.dtype);
        var bias = conv.bias?.to(x.dtype);
        if (fastBackward)
            return BatchWeightGradient.Apply(conv, x, weight, bias);
        return conv.transposed
            ? conv_transpose2d(x, weight, bias, strides: conv.stride, padding: conv.padding, output_padding: conv.output_padding)
            : conv2d(x, weight, bias, strides: conv.stride, padding: conv.padding);
    }

    /// <summary>
    /// <paramref name="conv"/>'s convolution of <paramref name="x"/> with <paramref name="weight"/> in place of its own
    /// weight (a normalized copy of it, <see cref="SpectralNorm"/>), computing in <paramref name="x"/>'s type. The
    /// gradient reaches the module's weight through <paramref name="weight"/>'s graph, so the batch weight gradient,
    /// which writes the module's weight gradient itself, is not used.
    /// </summary>
    public static Tensor Apply(Convolution conv, Tensor x, Tensor weight) => Apply(conv, x, weight, conv.bias);

    /// <summary>
    /// The same with <paramref name="bias"/> in place of the module's bias too (a zero-padded copy of both,
    /// <see cref="ReconstructionDecoder"/>), computing in <paramref name="x"/>'s type.
    /// </summary>
    public static Tensor Apply(Convolution conv, Tensor x, Tensor weight, Tensor? bias)
    {
        if (throughModules)
            return Apply(conv, x); // the same shapes and counts; the summary does not need the normalized values
        var typed = weight.to(x.dtype);
        bias = bias?.to(x.dtype);
        return conv.transposed
            ? conv_transpose2d(x, typed, bias, strides: conv.stride, padding: conv.padding, output_padding: conv.output_padding)
            : conv2d(x, typed, bias, strides: conv.stride, padding: conv.padding);
    }

    /// <summary>
    /// <c>loss.backward()</c>, then what the batch weight gradient's backward passes left on this thread: the
    /// gradients they handed to libtorch are released and an exception one of them met is rethrown
    /// (<see cref="BatchWeightGradient.EndBackward"/>). Every backward pass through these networks goes here.
    /// </summary>
    public static void Backward(Tensor loss)
    {
        loss.backward();
        BatchWeightGradient.EndBackward();
    }
}
