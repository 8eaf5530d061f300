using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ArchGan.Experiments;

/// <summary>Everything a <see cref="RecipeComparison"/> measured, with its table as Markdown (the form docs/recipes.md shows).</summary>
/// <param name="Data">What the arms trained on (folder name or "facades").</param>
/// <param name="ImageSize">Side of the images.</param>
/// <param name="TrainingImages">Images in the training set.</param>
/// <param name="EvaluationImages">Images per side in every SWD measurement.</param>
/// <param name="BudgetMinutes">Training time each arm was given.</param>
/// <param name="ThreadsPerArm">libtorch threads each arm trained with.</param>
/// <param name="Parallel">Whether the arms trained at the same time (one core each) or one after the other.</param>
/// <param name="Arms">The arms, in the order given; the first is the baseline.</param>
public sealed record ComparisonResult(string Data, int ImageSize, int TrainingImages, int EvaluationImages,
    double BudgetMinutes, int ThreadsPerArm, bool Parallel, IReadOnlyList<ArmResult> Arms)
{
    private static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// A Markdown table: per arm the iterations done, SWD×1e3 per level and on average, the nearest-neighbour
    /// ratio and diversity, and when it first matched the baseline's final SWD.
    /// </summary>
    public string ToMarkdown()
    {
        var levels = Arms[0].Final.Swd.Resolutions;
        var baseline = Arms[0].Final.Swd.Average;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Data} at {ImageSize} x {ImageSize} ({TrainingImages} training images), {F(BudgetMinutes, "0.#")} minutes per recipe, " +
            $"{ThreadsPerArm} thread{(ThreadsPerArm == 1 ? "" : "s")} each{(Parallel ? ", trained side by side" : "")}; SWD over {EvaluationImages} images per side.");
        text.AppendLine();
        text.AppendLine($"| Recipe | Iterations | {string.Join(" | ", levels.Select(r => $"SWD {r}px"))} | SWD avg | NN ratio | Diversity | Reached {Arms[0].Name}'s final SWD after |");
        text.AppendLine($"|---|---:|{string.Concat(levels.Select(_ => "---:|"))}---:|---:|---:|---:|");
        foreach (var arm in Arms)
        {
            var reach = arm.MinutesToReach(baseline);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {arm.Name} | {arm.Final.Iteration:N0} | {string.Join(" | ", arm.Final.Swd.Distances.Select(d => F(d)))} | **{F(arm.Final.Swd.Average)}** | " +
                $"{F(arm.Uniqueness.MedianRatio, "F2")} | {F(arm.Diversity.Ratio, "F2")} | {(reach is double m ? $"{F(m)} min" : "—")} |");
        }
        return text.ToString();
    }

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
            Points = a.Points.Select(p => new { p.Minutes, p.Iteration, Resolutions = p.Swd.Resolutions, Swd = p.Swd.Distances, Average = p.Swd.Average }),
            NearestNeighbourRatio = a.Uniqueness.MedianRatio,
            Diversity = a.Diversity.Ratio,
            Grid = a.GridPath,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
