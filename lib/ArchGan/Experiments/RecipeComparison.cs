using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.IO;
using ArchGan.Metrics;
using ArchGan.Sampling;
using ArchGan.Training;
using TorchSharp;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Experiments;

/// <summary>
/// Trains several recipes on the same images for the same wall-clock budget and measures each one's samples
/// against the real images: SWD (Karras et al. 2018) and KID (Bińkowski et al. 2018) at evenly spaced moments, and
/// at the end FID, precision and recall, the nearest-neighbour ratio, the diversity and a sample grid. This is how the recipe tables of docs/recipes.md are made:
/// a fixed budget rewards recipes that learn fast per second, not per iteration, which is what matters on a CPU.
/// </summary>
public static class RecipeComparison
{
    /// <summary>
    /// Runs every recipe for <paramref name="budget"/> and writes grids, generator snapshots,
    /// <c>results.md</c> and <c>results.json</c> into <paramref name="directory"/>.
    /// </summary>
    /// <param name="data">Training images; every recipe must use their size.</param>
    /// <param name="dataName">How the table names the data.</param>
    /// <param name="recipes">The arms; the first is the baseline the others are timed against.</param>
    /// <param name="budget">Training time per arm.</param>
    /// <param name="directory">Where results go (created).</param>
    /// <param name="parallel">
    /// Train all arms at once, one libtorch thread each (on 2 cores, 2 arms take the time of one, and each arm
    /// gets the same machine); otherwise one after another with <paramref name="threads"/> threads.
    /// </param>
    /// <param name="threads">libtorch threads per arm when not parallel.</param>
    /// <param name="snapshots">How many times during the budget each arm's generator is saved and measured.</param>
    /// <param name="evaluationCount">Images per side for SWD and KID (fewer when the data set is smaller).</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops every arm early; the measurements then cover the time trained.</param>
    public static ComparisonResult Run(ImageSet data, string dataName, IReadOnlyList<Recipe> recipes, TimeSpan budget,
        string directory, bool parallel = true, int threads = 0, int snapshots = 10, int evaluationCount = 256,
        Action<string>? log = null, CancellationToken cancellation = default)
    {
        if (recipes.Count == 0) throw new ArgumentException("Give at least one recipe.", nameof(recipes));
        var folders = recipes.Select(r => Slug(r.Name)).ToList();
        if (folders.Any(f => f.Length == 0) || folders.Distinct().Count() != recipes.Count)
            throw new HyperparameterException("recipe names", string.Join(", ", recipes.Select(r => r.Name)),
                "names that differ in their letters and digits (each names a folder)");
        if (budget <= TimeSpan.Zero) throw new HyperparameterException("budget", budget, "a positive time");
        if (snapshots < 1) throw new HyperparameterException("snapshots", snapshots, "at least 1");
        log ??= _ => { };
        Directory.CreateDirectory(directory);
        int previousThreads = torch.get_num_threads();
        int threadsPerArm = parallel ? 1 : threads > 0 ? threads : previousThreads;

        var trainers = new List<GanTrainer>();
        try
        {
            // Built one after another: each trainer seeds torch's global generator for its initial weights.
            // The clock ends each run, so the epoch count only needs to be out of reach; no grids are drawn
            // during the budget, so every arm spends its time training.
            foreach (var r in recipes) trainers.Add(new GanTrainer(r.Hp with { Epochs = 1_000_000, SampleEvery = int.MaxValue }, data));
            torch.set_num_threads(threadsPerArm);
            var timelines = new List<Moment>[recipes.Count];
            var failures = new Exception?[recipes.Count];
            using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            void TrainArm(int i)
            {
                try
                {
                    log($"{recipes[i].Name}: training for {budget.TotalMinutes:0.#} minutes");
                    timelines[i] = TrainFor(trainers[i], budget, snapshots, Path.Combine(directory, folders[i]),
                        line => log($"{recipes[i].Name}: {line}"), stopAll.Token);
                    log($"{recipes[i].Name}: {trainers[i].Iteration} iterations");
                }
                catch (Exception e)
                {
                    // An exception on a worker thread would end the process; it ends the comparison instead.
                    failures[i] = e;
                    stopAll.Cancel();
                }
            }
            if (parallel)
            {
                var workers = Enumerable.Range(0, recipes.Count).Select(i => new Thread(() => TrainArm(i), 16 << 20)).ToList();
                workers.ForEach(w => w.Start());
                workers.ForEach(w => w.Join());
            }
            else
            {
                for (int i = 0; i < recipes.Count && !stopAll.IsCancellationRequested; i++) TrainArm(i);
            }
            if (failures.FirstOrDefault(f => f is not null) is { } failure)
                ExceptionDispatchInfo.Throw(failure);
            torch.set_num_threads(previousThreads);

            int count = Math.Min(evaluationCount, data.Count);
            var real = data.Choose(count, 0);
            using var network = ImageFeatures.Load();
            var realFeatures = network.Extract(real);
            var arms = new List<ArmResult>();
            for (int i = 0; i < recipes.Count; i++)
            {
                log($"{recipes[i].Name}: measuring {timelines[i].Count} snapshots");
                arms.Add(Measure(recipes[i], trainers[i], timelines[i], data, real, realFeatures, network, Path.Combine(directory, folders[i])));
            }
            var result = new ComparisonResult(dataName, data.Size, data.Count, count, budget.TotalMinutes, threadsPerArm, parallel && recipes.Count > 1, arms);
            AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), result.ToMarkdown());
            AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), result.ToJson());
            return result;
        }
        finally
        {
            torch.set_num_threads(previousThreads);
            trainers.ForEach(t => t.Dispose());
        }
    }

    // One saved generator, with what the regularizers that adapt during a run read at that moment.
    private sealed record Moment(double Minutes, long Iteration, string Path, double? AugmentProbability, double? R1Penalty);

    // Trains until the budget is spent, saving the sampling generator's weights at each of `snapshots` even
    // moments (the last at the end), and reporting each, so that an hour-long run shows it is alive: the
    // measuring waits for the end. Runs on the calling thread.
    private static List<Moment> TrainFor(GanTrainer trainer, TimeSpan budget,
        int snapshots, string directory, Action<string> report, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        var timeline = new List<Moment>();
        var hp = trainer.Hp;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        void Snapshot()
        {
            var path = Path.Combine(directory, $"generator-{timeline.Count + 1:D2}.bin");
            trainer.SamplingGenerator.save(path);
            var moment = new Moment(clock.Elapsed.TotalMinutes, trainer.Iteration, path,
                hp.AdaptiveAugmentTarget > 0 ? trainer.AugmentProbability : null,
                hp.R1Gamma > 0 ? trainer.R1Penalty : null);
            timeline.Add(moment);
            report($"snapshot {timeline.Count} of {snapshots} at {moment.Minutes:0.0} min, iteration {moment.Iteration}");
        }
        trainer.Progress += _ =>
        {
            if (timeline.Count < snapshots - 1 && clock.Elapsed >= budget * (timeline.Count + 1) / snapshots) Snapshot();
            if (clock.Elapsed >= budget) stop.Cancel();
        };
        trainer.Train(stop.Token);
        Snapshot();
        return timeline;
    }

    private static ArmResult Measure(Recipe recipe, GanTrainer trainer, List<Moment> timeline,
        ImageSet data, ImageSet real, FeatureSet realFeatures, ImageFeatures network, string directory)
    {
        var points = new List<QualityPoint>();
        ImageSet? final = null;
        FeatureSet? finalFeatures = null;
        foreach (var (minutes, iteration, path, augment, r1) in timeline)
        {
            using var generator = new Generator(recipe.Hp);
            generator.load(path);
            final = Sampler.Generate(generator, real.Count, recipe.Hp.LatentSize, seed: 1);
            finalFeatures = network.Extract(final);
            points.Add(new QualityPoint(minutes, iteration, SlicedWasserstein.Measure(real, final, seed: 0), KernelDistance.Measure(realFeatures, finalFeatures),
                augment, r1));
        }
        var grid = Path.Combine(directory, "final.png");
        var samples = trainer.Samples();
        new SampleGrid(samples).Save(grid);
        return new ArmResult(recipe.Name, recipe.Hp, points, FeatureQuality.Measure(realFeatures, finalFeatures!),
            Uniqueness.Measure(final!, data), Diversity.Measure(final!, data), samples, grid);
    }

    private static string Slug(string name) =>
        string.Concat(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')).Trim('-');
}
