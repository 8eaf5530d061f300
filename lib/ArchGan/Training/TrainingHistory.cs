using ArchGan.Display;

namespace ArchGan.Training;

/// <summary>
/// Every iteration's <see cref="StepResult"/>, in order, with the iteration at which each epoch ended.
/// Saved in checkpoints, so a resumed run's curves continue the earlier ones.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class TrainingHistory
{
    private readonly List<StepResult> steps = new();
    private readonly List<long> epochEnds = new();

    /// <summary>All steps so far; index i is iteration i + 1.</summary>
    public IReadOnlyList<StepResult> Steps => steps;
    /// <summary>The iteration count at the end of each completed epoch.</summary>
    public IReadOnlyList<long> EpochEnds => epochEnds;
    /// <summary>Iterations recorded.</summary>
    public int Count => steps.Count;

    /// <summary>Records one iteration.</summary>
    public void Add(StepResult step) => steps.Add(step);
    /// <summary>Marks the end of an epoch at the current iteration.</summary>
    public void EndEpoch() => epochEnds.Add(steps.Count);

    /// <summary>D loss per iteration.</summary>
    public float[] LossD => steps.Select(s => s.LossD).ToArray();
    /// <summary>G loss per iteration.</summary>
    public float[] LossG => steps.Select(s => s.LossG).ToArray();
    /// <summary>D(x) per iteration.</summary>
    public float[] DReal => steps.Select(s => s.DReal).ToArray();
    /// <summary>D(G(z)) per iteration.</summary>
    public float[] DFake => steps.Select(s => s.DFake).ToArray();

    /// <summary>Mean of <paramref name="values"/> over a trailing window, for readable curves of noisy GAN losses.</summary>
    public static double[] Smooth(IReadOnlyList<float> values, int window)
    {
        window = Math.Max(1, window);
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(steps.Count);
        foreach (var s in steps) { writer.Write(s.LossD); writer.Write(s.LossG); writer.Write(s.DReal); writer.Write(s.DFake); }
        writer.Write(epochEnds.Count);
        foreach (var e in epochEnds) writer.Write(e);
    }

    internal static TrainingHistory Read(BinaryReader reader)
    {
        var history = new TrainingHistory();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
            history.steps.Add(new StepResult(reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle()));
        int epochs = reader.ReadInt32();
        for (int i = 0; i < epochs; i++) history.epochEnds.Add(reader.ReadInt64());
        return history;
    }
}
