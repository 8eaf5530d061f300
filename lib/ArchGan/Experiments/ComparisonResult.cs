using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ArchGan.Experiments;

/// <summary>Everything a <see cref="RecipeComparison"/> measured, with its table as Markdown (the form docs/recipes.md shows).</summary>
/// <param name="Data">What the arms trained on (folder name or "facades").</param>
/// <param name="ImageSize">Side of the images.</param>
/// <param name="TrainingImages">Images in the training set.</param>
/// <param name="EvaluationImages">Images per side in every measurement.</param>
/// <param name="BudgetMinutes">Training time each arm was given.</param>
/// <param name="ThreadsPerArm">libtorch threads each arm trained with.</param>
/// <param name="Parallel">Whether the arms trained at the same time (one core each) or one after the other.</param>
/// <param name="Arms">The arms, in the order given; the first is the baseline.</param>
public sealed record ComparisonResult(string Data, int ImageSize, int TrainingImages, int EvaluationImages,
    double BudgetMinutes, int ThreadsPerArm, bool Parallel, IReadOnlyList<ArmResult> Arms)
{
    private static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// A Markdown table, best first by final KID: per arm the iterations done, KID x 1000 with its spread, FID,
    /// precision and recall, SWD x 1000 on average, the nearest-neighbour ratio and diversity, and when it first
    /// matched the baseline's final KID; then KID over time, and adaptive augmentation's p and the R1 penalty over
    /// time for the arms that use them.
    /// </summary>
    public string ToMarkdown()
    {
        var baseline = Arms[0].Final.Kid.Mean;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Data} at {ImageSize} x {ImageSize} ({TrainingImages} training images), {F(BudgetMinutes, "0.#")} minutes per recipe, " +
            $"{ThreadsPerArm} thread{(ThreadsPerArm == 1 ? "" : "s")} each{(Parallel ? ", trained side by side" : "")}; every measure over {EvaluationImages} images per side.");
        text.AppendLine();
        text.AppendLine($"| Rank | Recipe | Iterations | KID x1e3 | FID | Precision | Recall | SWD avg | NN ratio | Diversity | Reached {Arms[0].Name}'s final KID after |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (arm, rank) in Ranked().Select((a, i) => (a, i + 1)))
        {
            var reach = arm.MinutesToReach(baseline);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {rank} | {arm.Name} | {arm.Final.Iteration:N0} | **{arm.Final.Kid.Mean:N0}** ± {arm.Final.Kid.StandardDeviation:N0} | {F(arm.Quality.Fid)} | " +
                $"{F(arm.Quality.PrecisionRecall.Precision, "F2")} | {F(arm.Quality.PrecisionRecall.Recall, "F2")} | {F(arm.Final.Swd.Average)} | " +
                $"{F(arm.Uniqueness.MedianRatio, "F2")} | {F(arm.Diversity.Ratio, "F2")} | {(reach is double m ? $"{F(m)} min" : "—")} |");
        }
        text.AppendLine();
        text.AppendLine("KID x1e3 over time (minutes: value):");
        text.AppendLine();
        foreach (var arm in Arms)
            text.AppendLine(CultureInfo.InvariantCulture, $"- {arm.Name}: {string.Join(", ", arm.Points.Select(p => $"{F(p.Minutes)}: {p.Kid.Mean:N0}"))}");
        Series("Adaptive augmentation's p over time (minutes: p), for the recipes that adapt it:", p => p.AugmentProbability, "F2");
        Series("Lazy R1 penalty E[|grad D(x)|^2] over time (minutes: value at its last step), for the recipes that use it:", p => p.R1Penalty, "G3");
        return text.ToString();

        // A line per arm that has the reading, under its heading; nothing when no arm has it.
        void Series(string heading, Func<QualityPoint, double?> reading, string format)
        {
            var arms = Arms.Where(a => a.Points.Any(p => reading(p) is not null)).ToList();
            if (arms.Count == 0) return;
            text.AppendLine();
            text.AppendLine(heading);
            text.AppendLine();
            foreach (var arm in arms)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"- {arm.Name}: {string.Join(", ", arm.Points.Select(p => $"{F(p.Minutes)}: {(reading(p) is double v ? F(v, format) : "—")}"))}");
        }
    }

    /// <summary>The arms from lowest final KID to highest.</summary>
    public IReadOnlyList<ArmResult> Ranked() => Arms.OrderBy(a => a.Final.Kid.Mean).ToList();

    /// <summary>The whole result as indented JSON (hyperparameters and every SWD point included).</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        Data,
        ImageSize,
        TrainingImages,
        EvaluationImages,
        BudgetMinutes,
        ThreadsPerArm,
        Parallel,
        Arms = Arms.Select(a => new
        {
            a.Name,
            Hyperparameters = JsonDocument.Parse(a.Hp.ToJson()).RootElement,
            Points = a.Points.Select(p => new
            {
                p.Minutes,
                p.Iteration,
                Resolutions = p.Swd.Resolutions,
                Swd = p.Swd.Distances,
                Average = p.Swd.Average,
                Kid = p.Kid.Mean,
                KidStandardDeviation = p.Kid.StandardDeviation,
                p.AugmentProbability,
                p.R1Penalty,
            }),
            Fid = a.Quality.Fid,
            a.Quality.PrecisionRecall.Precision,
            a.Quality.PrecisionRecall.Recall,
            NearestNeighbourRatio = a.Uniqueness.MedianRatio,
            Diversity = a.Diversity.Ratio,
            Grid = a.GridPath,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
