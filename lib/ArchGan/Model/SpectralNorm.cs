using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// Spectral normalization of one layer's weight (Miyato et al. 2018, "Spectral Normalization for Generative
/// Adversarial Networks"): the layer computes with W / σ(W), where σ(W) is W's largest singular value, so no layer
/// can stretch its input by more than 1 and D's verdict changes smoothly with the image. σ is estimated by power
/// iteration, one step per training pass, from a vector <c>u</c> kept as a buffer (saved in checkpoints), as the
/// paper does: a one-step estimate is enough because the weight moves little between steps.
/// </summary>
public sealed class SpectralNorm : nn.Module
{
    // Field names are checkpoint keys ("stages.0.spectral.u"): keep them.
    private readonly Tensor u; // outputs: the estimate of W's first left singular vector

    /// <summary>
    /// A normalization for a weight with <paramref name="outputs"/> rows (output channels or features). u starts as
    /// the normalized all-ones vector rather than a random one, so that building a network draws nothing from the
    /// random streams the weights are seeded from; power iteration converges from any start not orthogonal to the
    /// first singular vector.
    /// </summary>
    public SpectralNorm(long outputs) : base(nameof(SpectralNorm))
    {
        u = full(outputs, 1.0 / Math.Sqrt(outputs));
        RegisterComponents();
    }

    /// <summary>
    /// <paramref name="weight"/> / σ(<paramref name="weight"/>), inside the autograd graph of the weight. While
    /// training, it takes one power-iteration step, v ← Wᵀu / ‖Wᵀu‖ and u ← Wv / ‖Wv‖, before σ ≈ uᵀWv.
    /// </summary>
    public Tensor Normalize(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var matrix = weight.reshape(weight.shape[0], -1); // outputs x (inputs · k · k)
        Tensor v, uNow;
        using (no_grad())
        {
            var detached = matrix.detach();
            v = nn.functional.normalize(detached.t().mv(u), p: 2, dim: 0, eps: 1e-12);
            if (training)
                u.copy_(nn.functional.normalize(detached.mv(v), p: 2, dim: 0, eps: 1e-12));
            // A copy for the graph: D runs twice (real, then fake) before one backward pass, and the second run
            // updates u in place.
            uNow = u.clone();
        }
        var sigma = uNow.dot(matrix.mv(v)); // σ ≈ uᵀWv, with the gradient of σ with respect to W
        return (weight / sigma).MoveToOuterDisposeScope();
    }

    /// <summary>The current estimate of σ(<paramref name="weight"/>), for tests and inspection; changes nothing.</summary>
    public double Sigma(Tensor weight)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var matrix = weight.reshape(weight.shape[0], -1).detach();
        var v = nn.functional.normalize(matrix.t().mv(u), p: 2, dim: 0, eps: 1e-12);
        return u.dot(matrix.mv(v)).item<float>();
    }
}
