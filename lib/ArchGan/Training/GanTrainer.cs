using System.Diagnostics;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.IO;
using ArchGan.Model;
using ArchGan.Platform;
using ArchGan.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Training;

/// <summary>
/// Trains a <see cref="Model.Generator"/> against a <see cref="Model.Discriminator"/> the article's way: per
/// batch one discriminator step, then one generator step on the same noise, Adam for both, sigmoid
/// cross-entropy losses (Goodfellow et al. 2014, with the non-saturating generator loss). Records every
/// iteration in <see cref="History"/>, shows a grid from a fixed noise batch every
/// <see cref="Hyperparameters.SampleEvery"/> iterations, and, given a run directory, writes grids,
/// checkpoints and loss curves there. A checkpoint holds everything needed to continue exactly.
/// </summary>
public sealed class GanTrainer : IDisposable
{
    private readonly ImageBatches batches;
    private readonly Adam optimizerG, optimizerD;
    private readonly torch.Generator noiseRandom;
    private readonly Device device;
    // Held while this trainer exists, so that no other trainer writes into its run folder (see RunLock).
    private readonly RunLock? runLock;

    /// <summary>
    /// A fresh run on <paramref name="data"/>. Seeds everything from <see cref="Hyperparameters.Seed"/>.
    /// </summary>
    /// <param name="hp">The recipe; checked before anything is built.</param>
    /// <param name="data">Training images, of <see cref="Hyperparameters.ImageSize"/>.</param>
    /// <param name="runDirectory">Where grids, checkpoints and curves go; null keeps everything in memory.</param>
    /// <param name="device">Where the networks live; CPU when null.</param>
    /// <exception cref="RunInUseException">Another process trains in <paramref name="runDirectory"/>, or a trainer of this one is inside Train() there.</exception>
    public GanTrainer(Hyperparameters hp, ImageSet data, string? runDirectory = null, Device? device = null)
    {
        Hp = hp.Validate();
        if (data.Size != hp.ImageSize)
            throw new HyperparameterException(nameof(Hyperparameters.ImageSize), hp.ImageSize, $"the size of the training images ({data.Size}), or images prepared at {hp.ImageSize}");
        this.device = device ?? torch.CPU;
        RunDirectory = runDirectory;
        // First of what is built, as it checks the batch size against the data: a refusal leaves no networks behind.
        batches = new ImageBatches(data, hp.BatchSize, hp.Seed, hp.Flip);
        // After the checks, so that a refused recipe creates no run folder; before the networks, so that a run
        // in use costs nothing to refuse.
        try { runLock = runDirectory is null ? null : RunLock.Take(runDirectory); }
        catch
        {
            batches.Dispose();
            throw;
        }

        // The initial weights come from a generator of the run's own, seeded from the recipe, so that whatever
        // else draws from torch's global generator meanwhile (another trainer, a notebook cell, a test running
        // beside this one) cannot change them. The global generator is seeded too, for code that draws from it
        // after building a trainer.
        using (var initial = new torch.Generator((ulong)hp.Seed))
        {
            Generator = new Generator(hp, initial, this.device).to(this.device);
            Discriminator = new Discriminator(hp, initial, this.device).to(this.device);
        }
        torch.manual_seed(hp.Seed);
        if (hp.EmaDecay > 0)
        {
            // Only ever sampled from, so it draws in float32 whatever the training computes in.
            EmaGenerator = new Generator(hp with { Precision = Precision.Float32 }, device: this.device).to(this.device);
            CopyWeights(Generator, EmaGenerator);
        }
        optimizerG = new SafeAdam(Generator.parameters(), hp.LearningRateG, hp.Beta1, hp.Beta2);
        optimizerD = new SafeAdam(Discriminator.parameters(), hp.LearningRateD, hp.Beta1, hp.Beta2);
        noiseRandom = new torch.Generator((ulong)hp.Seed);
        AugmentProbability = hp.AdaptiveAugmentTarget > 0 ? 0 : 1;
        // Its own generator, so the grid's noise does not depend on how many batches were drawn before it.
        using (var fixedRandom = new torch.Generator((ulong)hp.Seed + 1))
            FixedNoise = Sampler.Noise(hp.SampleCount, hp.LatentSize, fixedRandom, this.device);
    }

    /// <summary>
    /// The precision the convolutions compute in: <see cref="Hyperparameters.Precision"/>, with
    /// <see cref="Model.Precision.Auto"/> resolved for this machine and device.
    /// </summary>
    public Precision Precision => Generator.Precision;

    /// <summary>The recipe of this run.</summary>
    public Hyperparameters Hp { get; }
    /// <summary>The network that draws images.</summary>
    public Generator Generator { get; }
    /// <summary>
    /// The moving average of <see cref="Generator"/>'s weights (<see cref="Hyperparameters.EmaDecay"/>), or
    /// null when the recipe has none. Sample grids come from it when it exists.
    /// </summary>
    public Generator? EmaGenerator { get; }
    /// <summary>The generator that draws the sample grids: the moving average when there is one.</summary>
    public Generator SamplingGenerator => EmaGenerator ?? Generator;
    /// <summary>The network that tells real images from generated ones.</summary>
    public Discriminator Discriminator { get; }
    /// <summary>
    /// The noise behind every sample grid of this run. The article drew new noise for each grid, so grids
    /// over time showed different buildings and progress could not be compared.
    /// </summary>
    public Tensor FixedNoise { get; private set; }
    /// <summary>Every iteration's losses and D outputs.</summary>
    public TrainingHistory History { get; private set; } = new();
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }
    /// <summary>Batches of the current epoch already trained on (non-zero only after a cancelled run resumed).</summary>
    public int BatchInEpoch { get; private set; }
    /// <summary>Iterations done, resumed parts included.</summary>
    public long Iteration { get; private set; }
    /// <summary>Iterations in one epoch.</summary>
    public int IterationsPerEpoch => batches.BatchesPerEpoch;
    /// <summary>Where grids, checkpoints and curves go, or null.</summary>
    public string? RunDirectory { get; }
    /// <summary>The checkpoint file in <see cref="RunDirectory"/>, or null.</summary>
    public string? CheckpointPath => RunDirectory is null ? null : Path.Combine(RunDirectory, Checkpoint.FileName);

    // The run's checkpoint where one has been written: the last state saved whole.
    private string? WrittenCheckpoint => CheckpointPath is not null && File.Exists(CheckpointPath) ? CheckpointPath : null;

    /// <summary>Raised after every iteration, on the training thread.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>One iteration: a discriminator step, then a generator step on the same noise.</summary>
    public StepResult Step(Tensor real)
    {
        using var scope = torch.NewDisposeScope();
        var z = Sampler.Noise((int)real.shape[0], Hp.LatentSize, noiseRandom, device);
        var fake = Generator.call(z);
        var (lossD, dReal, dFake) = DiscriminatorStep(real, fake.detach());
        if (Hp.R1Gamma > 0 && Iteration % Hp.R1Interval == 0)
            R1Penalty = R1Step(real);
        var lossG = GeneratorStep(fake);
        UpdateEma();
        var step = new StepResult(lossD, lossG, dReal, dFake);
        History.Add(step);
        Iteration++;
        return step;
    }

    /// <summary>
    /// The discriminator's step on a batch of <paramref name="real"/> images and generated ones
    /// (<paramref name="fake"/>, detached from G): its loss, and its mean outputs D(x) and D(G(z)).
    /// </summary>
    // D wants D(x) → 1 and D(G(z)) → 0. With DiffAugment both sides pass through the same kind of random
    // transformation, so "is it augmented" tells D nothing.
    public (float Loss, float DReal, float DFake) DiscriminatorStep(Tensor real, Tensor fake)
    {
        using var scope = torch.NewDisposeScope();
        optimizerD.zero_grad();
        var seen = Augment(real);
        Tensor realLogits, reconstruction = null!;
        if (Discriminator.Reconstructs)
            (realLogits, reconstruction) = Discriminator.ForwardWithReconstruction(seen);
        else
            realLogits = Discriminator.call(seen);
        var fakeLogits = Discriminator.call(Augment(fake));
        // Numbers become Scalars here, held until the step ends: a temporary one could be freed by a garbage
        // collection on another thread while libtorch reads it (see SafeAdam). So no `+` either: TorchSharp's
        // operator passes a temporary alpha of 1; add(…, One) passes a held one (see HeldScalars).
        var one = HeldScalars.One;
        using var realLabel = (1 - Hp.LabelSmoothing).ToScalar();
        var loss = Hp.Loss == GanLoss.Hinge
            // lossD = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]: no gradient from images beyond the margin.
            ? relu(realLogits.neg().add(one, one)).mean().add(relu(fakeLogits.add(one, one)).mean(), one)
            // lossD = BCE(D(x), 1 − s) + BCE(D(G(z)), 0), summed as in the article; s is the label smoothing.
            : binary_cross_entropy_with_logits(realLogits, torch.full_like(realLogits, realLabel))
              .add(binary_cross_entropy_with_logits(fakeLogits, torch.zeros_like(fakeLogits)), one);
        if (Hp.LeCamWeight > 0)
            loss = loss.add(LeCamPenalty(realLogits, fakeLogits), one);
        if (Discriminator.Reconstructs)
            loss = loss.add(ReconstructionLoss(reconstruction, seen), one);
        var value = EnsureFinite(loss, "discriminator (D)");
        FastConvolution.Backward(loss);
        optimizerD.step();
        if (Hp.LeCamWeight > 0)
            LeCam = LeCam.Update(realLogits.mean().item<float>(), fakeLogits.mean().item<float>());
        // r = E[sign(D(x))]: how surely D calls the real images real, the sign of its overfitting (Karras et al. 2020).
        if (Hp.AdaptiveAugmentTarget > 0)
            AugmentProbability = AdaptiveAugmentation.Next(AugmentProbability, realLogits.sign().mean().item<float>(),
                Hp.AdaptiveAugmentTarget, (int)real.shape[0], Hp.AdaptiveAugmentImages);
        return (value, realLogits.sigmoid().mean().item<float>(), fakeLogits.sigmoid().mean().item<float>());
    }

    // λ·(E[max(0, D(x) − α_F)²] + E[max(0, α_R − D(G(z)))²]): real logits are pulled down towards the average
    // fake one and fake logits up towards the average real one (Tseng et al. 2021, eq. 3). Only the side that
    // widens the gap is penalized, as in the authors' released code, so a D that is still unsure is left alone.
    private Tensor LeCamPenalty(Tensor realLogits, Tensor fakeLogits)
    {
        using var alphaFake = LeCam.Fake.ToScalar();
        using var alphaReal = LeCam.Real.ToScalar();
        using var weight = Hp.LeCamWeight.ToScalar();
        var real = relu(realLogits.sub(alphaFake)).square().mean();
        var fake = relu(fakeLogits.neg().add(alphaReal, HeldScalars.One)).square().mean();
        return real.add(fake, HeldScalars.One).mul(weight);
    }

    // λ·E[|decoder(features(x)) − x↓|] on the real images as D saw them (augmented, when DiffAugment is on), so the
    // drawing and its target match; only real images are drawn, since G's are what D must not be taught to describe.
    private Tensor ReconstructionLoss(Tensor reconstruction, Tensor seen)
    {
        using var weight = Hp.ReconstructionWeight.ToScalar();
        return l1_loss(reconstruction, ReconstructionDecoder.Target(seen)).mul(weight);
    }

    /// <summary>
    /// The lazy R1 step (Mescheder et al. 2018; Karras et al. 2020): one update of D that lowers
    /// γ·k/2·E[‖∇ₓD(x)‖²] on <paramref name="real"/> images, γ being <see cref="Hyperparameters.R1Gamma"/> and k
    /// <see cref="Hyperparameters.R1Interval"/>. Returns E[‖∇ₓD(x)‖²] before the update.
    /// </summary>
    // A separate step rather than a term of D's loss, as in StyleGAN2: it runs once every k iterations, each
    // time k times as strong, so its cost, a backward pass through D's backward pass, is spread over k steps.
    // The gradient is taken at the images as D sees them, augmented when DiffAugment is on.
    public float R1Step(Tensor real)
    {
        using var scope = torch.NewDisposeScope();
        optimizerD.zero_grad();
        var penalty = R1Regularization.Penalty(Discriminator, Augment(real));
        using var weight = (Hp.R1Gamma / 2 * Hp.R1Interval).ToScalar();
        var value = EnsureFinite(penalty, "discriminator's R1 penalty");
        FastConvolution.Backward(penalty.mul(weight));
        optimizerD.step();
        return value;
    }

    /// <summary>E[‖∇ₓD(x)‖²] at the last <see cref="R1Step"/> (0 before one, or without <see cref="Hyperparameters.R1Gamma"/>).</summary>
    public float R1Penalty { get; private set; }

    /// <summary>
    /// The chance that each DiffAugment transformation is applied to an image: 1 without
    /// <see cref="Hyperparameters.AdaptiveAugmentTarget"/>; with it, 0 at the start and moved after every D step.
    /// </summary>
    public double AugmentProbability { get; private set; }

    /// <summary>The LeCam regularizer's moving averages of D's logits (both 0 until it runs).</summary>
    public LeCamAverages LeCam { get; private set; }

    /// <summary>The generator's step on images it drew (<paramref name="fake"/>, still attached to G): its loss.</summary>
    // G wants D(G(z)) → 1, so fakes are labelled real here: lossG = BCE(D(G(z)), 1). This non-saturating
    // form gives G strong gradients early, when D easily rejects its images (Goodfellow et al. 2014, sec. 3).
    public float GeneratorStep(Tensor fake)
    {
        using var scope = torch.NewDisposeScope();
        optimizerG.zero_grad();
        // D is only the path back to G here: without gradients for its own weights, the backward pass through
        // it skips their convolutions, about a seventh of an iteration. G's gradient is the same.
        using var frozen = FreezeDiscriminator();
        var logits = Discriminator.call(Augment(fake));
        var loss = Hp.Loss == GanLoss.Hinge
            ? -logits.mean() // lossG = −E[D(G(z))]
            : binary_cross_entropy_with_logits(logits, torch.ones_like(logits));
        var value = EnsureFinite(loss, "generator (G)");
        FastConvolution.Backward(loss);
        optimizerG.step();
        return value;
    }

    private IDisposable FreezeDiscriminator()
    {
        var parameters = Discriminator.parameters().ToList();
        foreach (var p in parameters) p.requires_grad = false;
        return new Restore(() => { foreach (var p in parameters) p.requires_grad = true; });
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private Tensor Augment(Tensor images) =>
        Hp.DiffAugment.Length == 0 ? images : Augmentation.Apply(images, Hp.DiffAugment, noiseRandom, AugmentProbability);

    // ema ← β·ema + (1 − β)·θ after every G step. β ramps up as (1 + t) / (10 + t) towards EmaDecay, so early
    // in a run the average is not held back by the random initial weights. BatchNorm's running statistics
    // are copied, not averaged: they describe the current weights' activations.
    private void UpdateEma()
    {
        if (EmaGenerator is null) return;
        using var noGrad = torch.no_grad();
        double t = Iteration, beta = Math.Min(Hp.EmaDecay, (1 + t) / (10 + t));
        using var weight = torch.tensor(1 - beta); // lerp_ takes its weight as a tensor
        foreach (var (average, current) in EmaGenerator.parameters().Zip(Generator.parameters()))
            average.lerp_(current, weight);
        foreach (var (average, current) in EmaGenerator.buffers().Zip(Generator.buffers()))
            average.copy_(current);
    }

    private static void CopyWeights(Generator from, Generator to)
    {
        using var noGrad = torch.no_grad();
        foreach (var (target, source) in to.parameters().Zip(from.parameters())) target.copy_(source);
        foreach (var (target, source) in to.buffers().Zip(from.buffers())) target.copy_(source);
    }

    // Checked before the optimizer steps, so a NaN never reaches the weights; the checkpoint on disk,
    // written at an earlier epoch, is left as the last good state.
    private float EnsureFinite(Tensor loss, string step)
    {
        var value = loss.item<float>();
        if (float.IsFinite(value)) return value;
        throw new TrainingDivergedException(Iteration + 1, step, value, WrittenCheckpoint, RunDirectory is not null);
    }

    /// <summary>The fixed-noise grid as the generator draws it now.</summary>
    public ImageSet Samples() => Sampler.Generate(SamplingGenerator, FixedNoise);

    /// <summary>
    /// Trains until <see cref="Hyperparameters.Epochs"/> epochs are done or <paramref name="cancellation"/>
    /// fires. With a run directory: writes a grid every <see cref="Hyperparameters.SampleEvery"/> iterations,
    /// and a grid, the loss curves and a checkpoint every <see cref="Hyperparameters.CheckpointEvery"/> epochs,
    /// at the end and on cancellation. The checkpoint is written first, before the grid and curves that can be
    /// drawn again from it.
    /// </summary>
    /// <exception cref="RunWriteException">
    /// A file of the run could not be written (a full disk, say); it names the file, the reason and the last checkpoint.
    /// </exception>
    public TrainingOutcome Train(CancellationToken cancellation = default)
    {
        // While this runs, another trainer of this process is refused the run folder instead of taking it over.
        using var training = runLock?.Training();
        var files = RunDirectory is null ? null : Writing(Path.Combine(RunDirectory, "samples"), () => new RunFiles(RunDirectory));
        if (files is not null) Writing(files.HyperparametersPath, () => files.WriteHyperparameters(Hp));
        long total = (long)Hp.Epochs * IterationsPerEpoch;
        var speed = new SpeedMeter();
        // (Epoch, BatchInEpoch) is the position of the next batch; a checkpoint stores it, so a resumed run
        // re-enters this loop exactly where the saved one left it. The batch after it is cut on a worker
        // thread while this one trains; which images it holds depends only on its position, not on timing.
        Task<Tensor>? next = null;
        try
        {
            while (Epoch < Hp.Epochs)
            {
                if (cancellation.IsCancellationRequested)
                {
                    var path = SaveCheckpointIfRun();
                    if (files is not null) Writing(files.LossesPath, () => files.WriteLosses(History));
                    Progress?.Invoke(Report(total, History.Count > 0 ? History.Steps[^1] : default, speed, null, path));
                    return TrainingOutcome.Cancelled;
                }
                // GetResult rethrows the batch's own exception, as the synchronous call would.
                var real = next?.GetAwaiter().GetResult() ?? batches.Batch(Epoch, BatchInEpoch, device);
                next = null;
                var (nextEpoch, nextBatch) = BatchInEpoch + 1 < IterationsPerEpoch ? (Epoch, BatchInEpoch + 1) : (Epoch + 1, 0);
                if (nextEpoch < Hp.Epochs) next = Task.Run(() => batches.Batch(nextEpoch, nextBatch, device));
                StepResult step;
                using (real)
                {
                    try { step = Step(real); }
                    // libtorch reports its own failures this way; a NaN loss is caught inside Step, before any update.
                    catch (System.Runtime.InteropServices.ExternalException e)
                    {
                        throw new TrainingFailedException(Iteration + 1, WrittenCheckpoint, e, RunDirectory is not null);
                    }
                }
                AfterStep(step, files, total, speed);
            }
        }
        finally
        {
            if (next is not null)
            {
                try { next.GetAwaiter().GetResult().Dispose(); }
                catch (Exception) { } // the run is ending anyway; the unused batch's own error is moot
            }
        }
        return TrainingOutcome.Completed;
    }

    // Bookkeeping after an iteration: position, grids, epoch end, progress.
    private void AfterStep(StepResult step, RunFiles? files, long total, SpeedMeter speed)
    {
        BatchInEpoch++;
        speed.Tick();
        var samples = Iteration % Hp.SampleEvery == 0 ? Samples() : null;
        if (samples is not null && files is not null) WriteSamples(files, samples, $"iteration-{Iteration:D6}");
        string? checkpoint = BatchInEpoch == IterationsPerEpoch ? EndEpoch(files, ref samples) : null;
        Progress?.Invoke(Report(total, step, speed, samples, checkpoint));
    }

    // Returns the checkpoint written, if any; fills in the epoch's grid when there is a run directory.
    private string? EndEpoch(RunFiles? files, ref ImageSet? samples)
    {
        Epoch++;
        BatchInEpoch = 0;
        History.EndEpoch();
        if (files is null) return null;
        // A grid per checkpoint, not per epoch: a few dozen photos make epochs of one or two iterations.
        if (Epoch % Hp.CheckpointEvery != 0 && Epoch != Hp.Epochs) return null;
        samples ??= Samples();
        // The checkpoint first: the grids and curves can be drawn again from it, and it cannot be from them, so a
        // disk that fills while drawing them costs only them.
        var checkpoint = SaveCheckpointIfRun();
        WriteSamples(files, samples, $"epoch-{Epoch:D4}");
        if (Epoch == Hp.Epochs) WriteSamples(files, samples, "final");
        Writing(files.LossesPath, () => files.WriteLosses(History));
        return checkpoint;
    }

    private void WriteSamples(RunFiles files, ImageSet samples, string name) =>
        Writing(Path.Combine(files.SamplesDirectory, name + ".png"), () => files.WriteSamples(samples, name));

    // One of the run's writes. A failure stops the run with one sentence: the file, the system's reason and the
    // checkpoint that is whole on disk, which after a failed save is still the one saved before.
    private T Writing<T>(string file, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not RunWriteException)
        {
            var (path, reason) = e is FileWriteException failed ? (failed.Path, failed.Reason) : (file, FileWriteException.ReasonOf(e));
            throw new RunWriteException(path, reason, RunDirectory is null ? null : Checkpoint.InRun(RunDirectory), e);
        }
    }

    private void Writing(string file, Action write) => Writing(file, () =>
    {
        write();
        return 0;
    });

    private TrainingProgress Report(long total, StepResult step, SpeedMeter speed, ImageSet? samples, string? checkpoint) =>
        // The epoch of the iteration just done: right after an epoch ends, that is the one that ended.
        new(BatchInEpoch == 0 ? Math.Max(Epoch, 1) : Epoch + 1, Hp.Epochs, Iteration, total, step, speed.PerSecond,
            speed.PerSecond > 0 ? TimeSpan.FromSeconds((total - Iteration) / speed.PerSecond) : TimeSpan.Zero,
            samples, checkpoint);

    private string? SaveCheckpointIfRun()
    {
        if (CheckpointPath is null) return null;
        Writing(CheckpointPath, () => Checkpoint.Save(CheckpointPath, State(), Hp.KeepCheckpoints));
        return CheckpointPath;
    }

    /// <summary>Writes everything needed to continue this run exactly to <paramref name="path"/>.</summary>
    public void Save(string path) => Checkpoint.Save(path, State());

    private CheckpointState State() => new(
        Hp, Generator, EmaGenerator, Discriminator, optimizerG, optimizerD, noiseRandom, FixedNoise, History, Epoch, BatchInEpoch, LeCam, AugmentProbability);

    /// <summary>
    /// Continues the run saved in <paramref name="checkpointPath"/> on <paramref name="data"/> (the same
    /// images, for an exact continuation). <paramref name="epochs"/> raises the epoch budget, to train longer.
    /// </summary>
    public static GanTrainer Resume(string checkpointPath, ImageSet data, string? runDirectory = null, int? epochs = null, Device? device = null)
    {
        var info = Checkpoint.ReadInfo(checkpointPath);
        var hp = epochs is int e ? info.Hyperparameters with { Epochs = e } : info.Hyperparameters;
        var trainer = new GanTrainer(hp, data, runDirectory, device);
        try
        {
            var restored = Checkpoint.Restore(checkpointPath, trainer.Generator, trainer.EmaGenerator, trainer.Discriminator, trainer.optimizerG, trainer.optimizerD, trainer.noiseRandom);
            trainer.FixedNoise.Dispose();
            trainer.FixedNoise = restored.FixedNoise.to(trainer.device);
            trainer.History = restored.History;
            trainer.Iteration = restored.History.Count;
            trainer.Epoch = restored.Epoch;
            trainer.BatchInEpoch = restored.BatchInEpoch;
            trainer.LeCam = restored.LeCam;
            trainer.AugmentProbability = hp.AdaptiveAugmentTarget > 0 ? restored.AugmentProbability : 1;
            if (trainer.BatchInEpoch >= trainer.IterationsPerEpoch)
                throw new CheckpointException(checkpointPath, $"it stopped after batch {restored.BatchInEpoch} of epoch {restored.Epoch + 1}, " +
                    $"but these {data.Count} images make only {trainer.IterationsPerEpoch} batches per epoch; resume it on the images it was trained on.");
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        batches.Dispose();
        optimizerG.Dispose();
        optimizerD.Dispose();
        noiseRandom.Dispose();
        FixedNoise.Dispose();
        Generator.Dispose();
        EmaGenerator?.Dispose();
        Discriminator.Dispose();
        runLock?.Dispose();
    }

    /// <summary>Iterations per second over the last few seconds, for the progress line and the time left.</summary>
    private sealed class SpeedMeter
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly Queue<double> ticks = new();
        public double PerSecond { get; private set; }

        public void Tick()
        {
            var now = clock.Elapsed.TotalSeconds;
            ticks.Enqueue(now);
            while (ticks.Count > 2 && now - ticks.Peek() > 10) ticks.Dequeue();
            var first = ticks.Peek();
            PerSecond = ticks.Count > 1 && now > first ? (ticks.Count - 1) / (now - first) : 0;
        }
    }
}
