using ArchGan.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>
/// The R1 penalty of Mescheder et al. 2018 ("Which Training Methods for GANs do actually Converge?"):
/// E[‖∇ₓD(x)‖²] over real images x, the squared size of D's gradient with respect to its input. Penalizing it
/// keeps D flat where the real images are, so on a few dozen photos D cannot build a sharp peak at each one,
/// and training settles instead of circling (<see cref="Hyperparameters.R1Gamma"/>).
/// </summary>
public static class R1Regularization
{
    /// <summary>
    /// E[‖∇ₓD(x)‖²] over the batch <paramref name="images"/>, with its graph kept so that its gradient with
    /// respect to D's weights can be taken: a second derivative of D.
    /// </summary>
    public static Tensor Penalty(nn.Module<Tensor, Tensor> discriminator, Tensor images)
    {
        var x = images.detach().requires_grad_(true);
        // The graph is recorded now, so only this forward pass must avoid the batch weight gradient, whose
        // backward pass has no derivative of its own; the backward passes follow what was recorded.
        Tensor logits;
        FastConvolution.TwiceDifferentiable = true;
        try
        {
            logits = discriminator.call(x);
        }
        finally
        {
            FastConvolution.TwiceDifferentiable = false;
        }
        // retain_graph: the penalty's own backward pass goes back through this forward pass.
        // ∇ₓ Σ D(x) is each image's own gradient: an image's logit does not depend on the others' pixels
        // (with BatchNorm in training mode, only through the batch statistics, which the sum includes).
        var gradient = torch.autograd.grad(new[] { logits.sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
        return gradient.square().sum(new long[] { 1, 2, 3 }).mean();
    }
}
