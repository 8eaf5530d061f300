using ArchGan.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>
/// TorchSharp's Adam (Kingma and Ba 2015) with the same state, checkpoint format and arithmetic, whose step keeps
/// every number it hands to libtorch alive until libtorch is done with it.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's own step writes <c>exp_avg.mul_(beta1)</c> and the like: each number becomes a native
/// Scalar that nothing references once its handle is passed, so a garbage collection started by another thread
/// during the call can let the finalizer free it while libtorch reads it. In a notebook kernel, whose threads
/// format and send outputs while training runs, that turned losses into NaN within a few dozen iterations.
/// Here each Scalar is made once per step and disposed after its last call, and every <c>add_</c> is given its
/// alpha: the one-argument overload makes a temporary one (<see cref="HeldScalars"/>).
/// </remarks>
public sealed class SafeAdam : Adam
{
    /// <summary>Adam over <paramref name="parameters"/>, as <c>torch.optim.Adam(parameters, lr, beta1, beta2)</c>.</summary>
    public SafeAdam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2)
        : base(parameters, lr, beta1, beta2)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value, lr = options.LearningRate!.Value;
        if (options.weight_decay != 0 || options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("SafeAdam implements plain Adam: no weight decay, AMSGrad or maximize.");
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var epsScalar = eps.ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step), biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var sqrtCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-lr / biasCorrection1).ToScalar();

            // m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
            state.exp_avg.mul_(beta1Scalar).add_(grad, alpha: oneMinusBeta1);
            using var conj = grad.conj();
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, conj, value: oneMinusBeta2);
            using var root = state.exp_avg_sq.sqrt();
            using var denom = root.div(sqrtCorrection2).add_(epsScalar, HeldScalars.One);
            param.addcdiv_(state.exp_avg, denom, value: stepSize);
        }
    }, closure);
}
