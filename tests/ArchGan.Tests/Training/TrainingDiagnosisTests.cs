using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Tests.Training;

public class TrainingDiagnosisTests
{
    private static TrainingHistory History(int count, Func<int, (float DReal, float DFake)> step)
    {
        var history = new TrainingHistory();
        for (var i = 0; i < count; i++)
        {
            var (dReal, dFake) = step(i);
            history.Add(new StepResult(1, 1, dReal, dFake));
        }
        return history;
    }

    [Theory]
    [InlineData(0.35f, 0.70f, TrainingRegime.DiscriminatorTooSlow)] // fakes rated more real than reals
    [InlineData(0.52f, 0.50f, TrainingRegime.DiscriminatorTooSlow)] // a coin flip
    [InlineData(0.99f, 0.01f, TrainingRegime.DiscriminatorTooStrong)]
    [InlineData(0.70f, 0.30f, TrainingRegime.Healthy)]
    public void Steady_verdicts_are_read_by_their_levels(float dReal, float dFake, TrainingRegime expected)
    {
        var diagnosis = TrainingDiagnosis.Of(History(40, _ => (dReal, dFake)), steps: 20);

        Assert.Equal(expected, diagnosis.Regime);
        Assert.Equal(dReal, diagnosis.DReal, 5);
        Assert.Equal(dFake, diagnosis.DFake, 5);
        Assert.Equal(0, diagnosis.Swing, 5);
    }

    [Theory]
    [InlineData(0.10f, TrainingRegime.Healthy)]
    [InlineData(0.20f, TrainingRegime.Unstable)]
    public void A_swinging_verdict_on_fakes_is_unstable(float amplitude, TrainingRegime expected)
    {
        // D(G(z)) alternates around 0.3: its standard deviation is the amplitude.
        var diagnosis = TrainingDiagnosis.Of(History(40, i => (0.7f, 0.3f + (i % 2 == 0 ? amplitude : -amplitude))), steps: 20);

        Assert.Equal(amplitude, diagnosis.Swing, 4);
        Assert.Equal(expected, diagnosis.Regime);
    }

    [Fact]
    public void Only_the_last_steps_are_read()
    {
        // A wild start that settles: the diagnosis is of where the run is now.
        var history = History(60, i => i < 40 ? (0.7f, i % 2 == 0 ? 0.9f : 0.1f) : (0.7f, 0.3f));

        Assert.Equal(TrainingRegime.Unstable, TrainingDiagnosis.Of(history, steps: 60).Regime);
        var now = TrainingDiagnosis.Of(history, steps: 20);
        Assert.Equal(TrainingRegime.Healthy, now.Regime);
        Assert.Equal(20, now.Steps);
        Assert.Equal(60, TrainingDiagnosis.Of(history, steps: 1000).Steps);
    }

    [Fact]
    public void By_default_the_second_half_is_read_and_never_fewer_than_two_steps()
    {
        Assert.Equal(30, TrainingDiagnosis.Of(History(60, _ => (0.7f, 0.3f))).Steps);
        Assert.Equal(2, TrainingDiagnosis.Of(History(2, _ => (0.7f, 0.3f))).Steps);
        Assert.Equal(2, TrainingDiagnosis.Of(History(3, _ => (0.7f, 0.3f))).Steps);
    }

    [Fact]
    public void Too_short_a_history_or_window_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TrainingDiagnosis.Of(History(1, _ => (0.7f, 0.3f)), steps: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingDiagnosis.Of(History(10, _ => (0.7f, 0.3f)), steps: 1));
    }

    // The three learning-rate settings of notebook 9, trained for real: the article's slow D, equal rates, and rates
    // five times higher for both, each read over the second half of its run.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(5e-5, 2e-4, TrainingRegime.DiscriminatorTooSlow)]
    [InlineData(2e-4, 2e-4, TrainingRegime.Healthy)]
    [InlineData(1e-3, 1e-3, TrainingRegime.Unstable)]
    public void The_notebooks_learning_rate_settings_train_into_their_regimes(double learningRateD, double learningRateG, TrainingRegime expected)
    {
        var hp = Hyperparameters.Quick with
        {
            DiffAugment = "",
            LabelSmoothing = 0,
            EmaDecay = 0,
            ImageSize = 32,
            Width = 0.25,
            BatchSize = 32,
            Epochs = 8,
            SampleEvery = int.MaxValue,
            LearningRateD = learningRateD,
            LearningRateG = learningRateG,
        };
        using var trainer = new GanTrainer(hp, Facades.Generate(512, 32, seed: 0));
        trainer.Train();

        var diagnosis = TrainingDiagnosis.Of(trainer.History);

        Assert.True(expected == diagnosis.Regime, $"{diagnosis}");
    }
}
