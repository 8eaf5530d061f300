using ArchGan.Model;
using ArchGan.Tests.Training;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Model;

public class SpectralNormTests
{
    // A 3 x 4 weight with singular values 3, 1 and 0.5: diagonal, then rotated on both sides so that no axis gives
    // the answer away.
    private static Tensor KnownWeight()
    {
        var diagonal = zeros(3, 4);
        diagonal[0, 0] = tensor(3f);
        diagonal[1, 1] = tensor(1f);
        diagonal[2, 2] = tensor(0.5f);
        var left = linalg.qr(randn(3, 3, generator: new torch.Generator(7))).Q;
        var right = linalg.qr(randn(4, 4, generator: new torch.Generator(8))).Q;
        return left.matmul(diagonal).matmul(right);
    }

    [Fact]
    public void Power_iteration_finds_the_largest_singular_value_and_the_normalized_weight_has_norm_one()
    {
        using var scope = NewDisposeScope();
        var weight = KnownWeight();
        var norm = new SpectralNorm(3);
        norm.train();

        Tensor normalized = weight;
        for (var i = 0; i < 30; i++) normalized = norm.Normalize(weight);

        Assert.Equal(3.0, norm.Sigma(weight), 3);
        Assert.Equal(1.0, linalg.svdvals(normalized)[0].item<float>(), 3);
        Assert.Equal(0.5 / 3, linalg.svdvals(normalized)[2].item<float>(), 3); // every direction scaled alike
    }

    [Fact]
    public void Only_training_passes_move_the_estimate_and_the_gradient_reaches_the_weight()
    {
        using var scope = NewDisposeScope();
        var weight = KnownWeight().requires_grad_();
        var norm = new SpectralNorm(3);
        var u = norm.named_buffers().Single(b => b.name == "u").buffer;
        var start = u.clone();

        norm.eval();
        norm.Normalize(weight);
        Assert.True(u.allclose(start, rtol: 0, atol: 0), "an evaluation pass changed u");
        norm.train();
        norm.Normalize(weight).sum().backward();
        Assert.False(u.allclose(start, rtol: 0, atol: 0), "a training pass left u unchanged");
        Assert.NotNull(weight.grad);
        Assert.True(weight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_spectrally_normalized_discriminator_has_no_BatchNorm_and_keeps_its_estimates_as_checkpoint_buffers()
    {
        using var scope = NewDisposeScope();
        var hp = TrainerTests.Tiny with { SpectralNormalization = true };
        using var plain = new Discriminator(TrainerTests.Tiny);
        using var normalized = new Discriminator(hp);

        Assert.Contains(plain.modules(), m => m is SafeBatchNorm2d);
        Assert.DoesNotContain(normalized.modules(), m => m is SafeBatchNorm2d);
        var buffers = normalized.named_buffers().Select(b => b.name).ToList();
        Assert.Contains("stages.0.spectral.u", buffers);
        Assert.Contains("classifyNorm.u", buffers);
        // The weights themselves are the plain network's: same names and shapes.
        Assert.Equal(plain.named_parameters().Where(p => !p.name.Contains("norm")).Select(p => (p.name, string.Join("x", p.parameter.shape))),
            normalized.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
        using var logits = normalized.call(rand(4, 3, hp.ImageSize, hp.ImageSize) * 2 - 1);
        Assert.Equal(new long[] { 4 }, logits.shape);
    }

    [Fact]
    public void A_run_with_spectral_normalization_and_hinge_trains_and_resumes_exactly()
    {
        var data = TestData.Blocks(16, 32);
        var hp = TrainerTests.Tiny with { SpectralNormalization = true, Loss = GanLoss.Hinge };
        using var straight = new GanTrainer(hp, data);
        Assert.Equal(TrainingOutcome.Completed, straight.Train());
        Assert.All(straight.History.Steps, s => Assert.True(s.IsFinite));

        using var resumed = TestData.TrainResumedAfterFirstEpoch(hp, data);
        Assert.True(resumed.Hp.SpectralNormalization);
        Assert.Equal(straight.History.Steps, resumed.History.Steps); // the estimates u came back with the weights
    }
}
