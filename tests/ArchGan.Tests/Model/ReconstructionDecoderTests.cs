using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Tests.Training;
using ArchGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Tests.Model;

public class ReconstructionDecoderTests
{
    private static readonly Hyperparameters SelfSupervised = TrainerTests.Tiny with { ReconstructionWeight = 1 };

    [Fact]
    public void The_target_is_the_image_area_averaged_to_32_pixels()
    {
        using var scope = NewDisposeScope();
        // A 64 x 64 checkerboard of single pixels averages to flat grey; a 32 x 32 image is its own target.
        var checker = (arange(64).unsqueeze(1) + arange(64).unsqueeze(0)).remainder(2).to(ScalarType.Float32) * 2 - 1;
        var images = checker.expand(2, 3, 64, 64).contiguous();
        var target = ReconstructionDecoder.Target(images);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, target.shape);
        Assert.True(target.abs().max().item<float>() < 1e-6, "a pixel checkerboard did not average to 0");

        var small = rand(2, 3, 32, 32);
        Assert.True(ReconstructionDecoder.Target(small).allclose(small, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_self_supervised_discriminator_draws_32_pixel_images_and_keeps_the_plain_networks_weights()
    {
        using var scope = NewDisposeScope();
        foreach (var size in new[] { 32, 64 })
        {
            var hp = SelfSupervised with { ImageSize = size };
            using var plain = new Discriminator(hp with { ReconstructionWeight = 0 }, new torch.Generator(3));
            using var supervised = new Discriminator(hp, new torch.Generator(3));
            Assert.False(plain.Reconstructs);
            Assert.True(supervised.Reconstructs);

            var images = rand(4, 3, size, size) * 2 - 1;
            // The decoder changes nothing in D's verdict (both in training mode, so BatchNorm's statistics move alike).
            Assert.True(supervised.ForwardWithReconstruction(images).Logits.allclose(plain.call(images), rtol: 0, atol: 0));
            var (logits, drawing) = supervised.ForwardWithReconstruction(images);
            Assert.Equal(new long[] { 4 }, logits.shape);
            Assert.Equal(new long[] { 4, 3, 32, 32 }, drawing.shape);
            Assert.True(drawing.abs().max().item<float>() <= 1);
            Assert.Throws<InvalidOperationException>(() => plain.ForwardWithReconstruction(images));

            // The decoder comes after every layer of the plain network, so the same seed gives those layers the
            // same first weights, and a comparison of the switch changes nothing else.
            var plainWeights = plain.named_parameters().ToList();
            var supervisedWeights = supervised.named_parameters().ToList();
            Assert.All(supervisedWeights.Skip(plainWeights.Count), p => Assert.StartsWith("decoder.", p.name));
            foreach (var ((name, a), (otherName, b)) in plainWeights.Zip(supervisedWeights))
            {
                Assert.Equal(name, otherName);
                Assert.True(a.allclose(b, rtol: 0, atol: 0), $"{name} starts differently with the decoder");
            }
        }
    }

    [Fact]
    public void The_decoders_backward_pass_is_finite_for_every_fresh_discriminator()
    {
        // With a 3-channel last convolution, libtorch's oneDNN returned NaN now and then in the gradient the decoder
        // passes back (ReconstructionDecoder.ToRgb): a few fresh networks in a hundred on a Zen 5, more when blocks
        // of NaN have just been freed, as here. So many networks, each after such blocks.
        int failures = 0;
        for (ulong seed = 0; seed < 150; seed++)
        {
            using var scope = NewDisposeScope();
            foreach (var n in new[] { 1 << 13, 1 << 14, 1 << 15, 1 << 16, 1 << 17 }) full(n, float.NaN).Dispose();
            using var d = new Discriminator(SelfSupervised, new torch.Generator(seed));
            var images = rand(4, 3, 32, 32, generator: new torch.Generator(1000 + seed)) * 2 - 1;
            var (logits, drawing) = d.ForwardWithReconstruction(images);
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, ones_like(logits))
                .add(nn.functional.l1_loss(drawing, ReconstructionDecoder.Target(images)));
            loss.backward();
            if (d.parameters().Any(p => !p.grad!.isfinite().all().item<bool>())) failures++;
        }
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Training_teaches_the_decoder_to_draw_the_real_images()
    {
        var data = TestData.Blocks(16, 64);
        var hp = SelfSupervised with { ImageSize = 64, Epochs = 30 };
        using var trainer = new GanTrainer(hp, data);
        double before = ReconstructionError(trainer.Discriminator, data);
        Assert.Equal(TrainingOutcome.Completed, trainer.Train());
        double after = ReconstructionError(trainer.Discriminator, data);
        // The initial decoder draws near 0 everywhere, an error of about the images' mean |x|. Trained through the
        // loss it roughly halves that on the images it was taught to draw; left out of D's loss it drifts upwards.
        Assert.True(after < 0.7 * before, $"reconstruction error {before:F3} before training, {after:F3} after");
    }

    [Fact]
    public void The_reconstruction_adds_to_Ds_loss_and_a_plain_run_is_unchanged()
    {
        var data = TestData.Blocks(8, 32);
        using var real = new ImageBatches(data, 4, 0).Batch(0, 0);
        using var plain = new GanTrainer(TrainerTests.Tiny, data);
        using var supervised = new GanTrainer(SelfSupervised, data);
        var a = plain.Step(real);
        var b = supervised.Step(real);
        // Same weights, noise and batch: D's verdicts match, and its loss is larger by the (positive) L1 term.
        Assert.Equal(a.DReal, b.DReal, 5);
        Assert.Equal(a.DFake, b.DFake, 5);
        Assert.True(b.LossD > a.LossD + 0.05, $"lossD {b.LossD} with the reconstruction, {a.LossD} without");
    }

    [Fact]
    public void A_self_supervised_run_resumes_exactly()
    {
        var data = TestData.Blocks(16, 32);
        using var straight = new GanTrainer(SelfSupervised, data);
        Assert.Equal(TrainingOutcome.Completed, straight.Train());

        using var resumed = TestData.TrainResumedAfterFirstEpoch(SelfSupervised, data);
        Assert.True(resumed.Discriminator.Reconstructs);
        Assert.Equal(straight.History.Steps, resumed.History.Steps); // the decoder's weights came back with D's
    }

    [Fact]
    public void A_negative_weight_is_refused_by_name()
    {
        var error = Assert.Throws<HyperparameterException>(() => (TrainerTests.Tiny with { ReconstructionWeight = -1 }).Validate());
        Assert.Contains("ReconstructionWeight", error.Message);
    }

    private static double ReconstructionError(Discriminator d, ImageSet data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        d.eval();
        using var images = new ImageBatches(data, data.Count, 0).Batch(0, 0);
        var (_, drawing) = d.ForwardWithReconstruction(images);
        double error = nn.functional.l1_loss(drawing, ReconstructionDecoder.Target(images)).item<float>();
        d.train();
        return error;
    }
}
