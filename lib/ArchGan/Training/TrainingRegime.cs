namespace ArchGan.Training;

/// <summary>How the two players of a run are doing, as <see cref="TrainingDiagnosis"/> reads it from their curves.</summary>
public enum TrainingRegime
{
    /// <summary>D tells real from fake, is not saturated, and its verdicts move smoothly: G has a signal to learn from.</summary>
    Healthy,

    /// <summary>D cannot tell real from fake, or has them the wrong way round: G is graded by a judge that has not learned yet.</summary>
    DiscriminatorTooSlow,

    /// <summary>D rejects every fake with near certainty: its verdict no longer says which way G should move.</summary>
    DiscriminatorTooStrong,

    /// <summary>D's verdict on the fakes swings from batch to batch: steps too large make both networks overshoot.</summary>
    Unstable,
}
