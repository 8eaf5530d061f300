using System.Runtime.ExceptionServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArchGan.Model;

/// <summary>
/// A 5x5 convolution (plain or transposed) whose backward pass computes the weight gradient as a forward
/// convolution over the batch, which oneDNN runs faster than its own weight-gradient kernel at some of the
/// model's shapes. The forward pass and the input's gradient are libtorch's own, bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// For a convolution y = w ⋆ x with stride s and padding p, dL/dw[o, i, a, b] = Σ over n, u, v of
/// dy[n, o, u, v] · x[n, i, s·u + a − p, s·v + b − p]. Swap the batch and channel axes of both tensors and this is
/// an ordinary convolution: x (i as the batch, n as the channels, padded by p) convolved with dy (o filters
/// of n channels) dilated by s, giving i x o x 5 x 5. A transposed convolution is the adjoint of a plain
/// one with the same weight, so its weight gradient is the same sum with the roles of its input and its
/// output gradient exchanged. Same multiply-adds, different kernel.
/// </para>
/// <para>
/// Where it pays was measured layer by layer (docs/performance.md, "What made it faster"; <c>archgan bench
/// --layers</c> shows it on any machine): in float32 only at the two layers between 1,024 channels and the
/// 8 x 8 grid, whose weight gradients oneDNN runs well below the speed of their forward passes; in bfloat16 at
/// all of G's stride-2 layers and at D's last. Elsewhere it was as fast or slower, so
/// <see cref="Pays(ScalarType, bool, long, long)"/> keeps libtorch's own backward there.
/// </para>
/// </remarks>
internal sealed class BatchWeightGradient : torch.autograd.SingleTensorFunction<BatchWeightGradient>
{
    /// <summary>Channels on the 8 x 8 side from which float32 gains: the article's full width.</summary>
    internal const int Float32MinimumChannels = 1024;

    public override string Name => nameof(BatchWeightGradient);

    /// <summary>
    /// Whether <paramref name="conv"/>, applied to <paramref name="x"/>, should go through this function: a
    /// gradient for its weights is wanted, it is a convolution this function handles (5x5, stride 2, square,
    /// no groups or dilation), and <see cref="Pays(ScalarType, bool, long, long)"/> says so for its shape.
    /// </summary>
    internal static bool Pays(Convolution conv, Tensor x)
    {
        if (!torch.is_grad_enabled() || conv.weight is not { requires_grad: true } weight) return false;
        if (conv.groups != 1 || conv.padding_mode != PaddingModes.Zeros || conv.padding is not { Length: 2 } padding
            || conv.stride.Length != 2 || conv.dilation.Any(d => d != 1) || conv.output_padding?.Distinct().Count() > 1 || x.dim() != 4) return false;
        if (weight.shape[2] != Architecture.Kernel || weight.shape[3] != Architecture.Kernel
            || padding[0] != padding[1] || conv.stride[0] != conv.stride[1] || conv.stride[0] != 2 || x.shape[2] != x.shape[3]) return false;
        long outSide = conv.transposed ? x.shape[2] * 2 : (x.shape[2] + 2 * padding[0] - Architecture.Kernel) / 2 + 1;
        // Transposed weights are (in, out, k, k), plain ones (out, in, k, k): either way the first dimension
        // counts the channels at the small side.
        return Pays(x.dtype, conv.transposed, Math.Min(x.shape[2], outSide), weight.shape[0]);
    }

    /// <summary>
    /// Whether a stride-2 5x5 layer whose small side is <paramref name="smallSide"/> pixels with
    /// <paramref name="smallChannels"/> channels (G's input, D's output) computing in <paramref name="dtype"/>
    /// trains faster through this function: the measured rule in the remarks.
    /// </summary>
    internal static bool Pays(ScalarType dtype, bool transposed, long smallSide, long smallChannels) => dtype switch
    {
        ScalarType.BFloat16 => transposed || smallSide == Architecture.BaseSize,
        ScalarType.Float32 => smallSide == Architecture.BaseSize && smallChannels >= Float32MinimumChannels,
        _ => false,
    };

    /// <summary>
    /// <paramref name="conv"/>'s convolution of <paramref name="x"/> with <paramref name="weight"/> and
    /// <paramref name="bias"/> (the module's own, or copies cast to <paramref name="x"/>'s type), through this
    /// function.
    /// </summary>
    internal static Tensor Apply(Convolution conv, Tensor x, Tensor weight, Tensor? bias) =>
        Apply(x, weight, bias, conv.transposed, conv.stride[0], conv.padding![0], conv.output_padding?[0] ?? 0);

    /// <summary>
    /// The same for a convolution given by its parameters (square stride, padding and output padding). Does
    /// <see cref="EndBackward"/>'s work first, for callers that did not.
    /// </summary>
    internal static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, bool transposed, long stride, long padding, long outputPadding)
    {
        EndBackward();
        return apply(x, weight, bias!, transposed, stride, padding, outputPadding);
    }

    [ThreadStatic] private static ExceptionDispatchInfo? backwardFailure;
    [ThreadStatic] private static List<Tensor>? handedOver;

    /// <summary>
    /// Call after every <c>backward()</c> through this function (the trainer does). It releases the gradients
    /// the backward passes on this thread handed to libtorch, and rethrows the exception one of them met, if any.
    /// </summary>
    /// <remarks>
    /// The backward pass runs inside libtorch, called back from native code. An exception there would end the
    /// process, so the pass keeps it, returns no gradients, and this throws it on the caller's thread. Its
    /// gradients leave it as tensors libtorch holds references of its own to, which outlive the call; releasing
    /// ours here, not at the end of the training step's dispose scope, frees them as soon as libtorch has
    /// added them up, as its own backward passes do (kept to the end of the step, the large blocks of the
    /// article's widest layers fragmented the C heap, which then grew with every iteration).
    /// </remarks>
    internal static void EndBackward()
    {
        ReleaseHandedOver();
        var failure = backwardFailure;
        backwardFailure = null;
        failure?.Throw();
    }

    private static void ReleaseHandedOver()
    {
        if (handedOver is null) return;
        foreach (var tensor in handedOver) tensor.Dispose();
        handedOver.Clear();
    }

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor);
        var (transposed, stride, padding, outputPadding) = ((bool)vars[3], (long)vars[4], (long)vars[5], (long)vars[6]);
        ctx.save_for_backward(new List<Tensor> { x, weight });
        ctx.save_data("transposed", transposed);
        ctx.save_data("stride", stride);
        ctx.save_data("padding", padding);
        ctx.save_data("input", x.requires_grad);
        ctx.save_data("weight", weight.requires_grad);
        ctx.save_data("bias", bias?.requires_grad ?? false);
        return Convolve(x, weight, bias, transposed, stride, padding, outputPadding);
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor dy)
    {
        ReleaseHandedOver(); // an earlier layer's: libtorch has its own references by now
        try
        {
            using var scope = torch.NewDisposeScope();
            var saved = ctx.get_saved_variables();
            var (x, weight) = (saved[0], saved[1]);
            var transposed = (bool)ctx.get_data("transposed");
            var (stride, padding) = ((long)ctx.get_data("stride"), (long)ctx.get_data("padding"));
            // The input's gradient is the adjoint convolution, which is what libtorch's backward computes too.
            var dx = !(bool)ctx.get_data("input") ? null
                : transposed ? conv2d(dy, weight, strides: new[] { stride, stride }, padding: new[] { padding, padding })
                : Convolve(dy, weight, null, transposed: true, stride, padding, (x.shape[2] + 2 * padding - weight.shape[2]) % stride);
            var dw = !(bool)ctx.get_data("weight") ? null
                : transposed ? WeightGradient(dy, x, stride, padding) : WeightGradient(x, dy, stride, padding);
            var db = (bool)ctx.get_data("bias") ? dy.sum(new long[] { 0, 2, 3 }) : null;
            var gradients = new[] { dx, dw, db };
            foreach (var g in gradients.OfType<Tensor>())
                (handedOver ??= new()).Add(g.DetachFromDisposeScope());
            return new List<Tensor> { dx!, dw!, db!, null!, null!, null!, null! };
        }
        catch (Exception e)
        {
            backwardFailure = ExceptionDispatchInfo.Capture(e);
            return new List<Tensor> { null!, null!, null!, null!, null!, null!, null! };
        }
        finally
        {
            dy.Dispose(); // our handle on it; libtorch keeps its own
        }
    }

    /// <summary>The plain libtorch convolution, square stride, padding and output padding: the forward pass of this function.</summary>
    internal static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, bool transposed, long stride, long padding, long outputPadding) =>
        transposed
            ? conv_transpose2d(x, weight, bias, strides: new[] { stride, stride }, padding: new[] { padding, padding }, output_padding: new[] { outputPadding, outputPadding })
            : conv2d(x, weight, bias, strides: new[] { stride, stride }, padding: new[] { padding, padding });

    // dL/dw of a plain convolution of `input` whose output's gradient is `gradient`, in its (out, in, k, k)
    // layout: `input` with batch and channels swapped, padded by `padding` in front and by what makes the
    // result k wide behind (less than `padding`, or a crop), convolved with `gradient`, batch and channels
    // swapped, dilated by the stride.
    private static Tensor WeightGradient(Tensor input, Tensor gradient, long stride, long padding)
    {
        const long k = Architecture.Kernel;
        long behind = k + stride * (gradient.shape[2] - 1) - input.shape[2] - padding;
        var padded = pad(input.transpose(0, 1), new[] { padding, behind, padding, behind });
        var byInput = conv2d(padded, gradient.transpose(0, 1), dilation: new[] { stride, stride }); // in x out x k x k
        // A strided view, not a copy: libtorch adds it into the weights' gradient, which has its own layout.
        return byInput.transpose(0, 1);
    }
}
