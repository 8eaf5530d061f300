using ArchGan.Training;

namespace ArchGan.Tests.Training;

/// <summary>One trainer per run folder within a process: a new trainer takes the folder over from an idle one, never from one that is training.</summary>
public class RunLockTests
{
    private static readonly Hyperparameters Recipe = TrainerTests.Tiny with { Epochs = 1 };

    // Whether some open file holds the operating system's lock: a new open file of this process is refused as another process's would be.
    private static bool Locked(string run)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(run, RunLock.FileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Fact]
    public void A_trainer_holds_its_run_folder_until_it_is_disposed_and_writes_its_process_id_beside_the_lock()
    {
        var run = TestData.TempDirectory();
        using (var trainer = new GanTrainer(Recipe, TestData.Blocks(8, 32), run))
        {
            Assert.True(Locked(run));
            Assert.Equal($"{Environment.ProcessId}", File.ReadAllText(Path.Combine(run, RunLock.HolderFileName)));
        }
        Assert.False(Locked(run));
        Assert.False(File.Exists(Path.Combine(run, RunLock.HolderFileName)));
        // A trainer kept in memory takes no lock.
        using var inMemory = new GanTrainer(Recipe, TestData.Blocks(8, 32));
    }

    [Fact]
    public void A_second_trainer_on_the_folder_takes_it_over_from_an_idle_one_and_keeps_it_when_the_first_is_disposed()
    {
        var run = TestData.TempDirectory();
        var first = new GanTrainer(Recipe, TestData.Blocks(8, 32), run);
        first.Train();
        // As a notebook running its "new trainer" cell again, or resuming while the first trainer still exists.
        using var second = GanTrainer.Resume(Path.Combine(run, Checkpoint.FileName), TestData.Blocks(8, 32), run, epochs: 2);
        first.Dispose();
        Assert.True(Locked(run), "disposing the trainer that was taken over released the new one's lock");
        Assert.Equal(TrainingOutcome.Completed, second.Train());
    }

    [Fact]
    public void While_a_holder_is_training_another_trainer_of_the_process_is_refused_and_a_lock_taken_over_cannot_train()
    {
        var run = TestData.TempDirectory();
        using var first = RunLock.Take(run);
        using (first.Training())
        {
            var e = Assert.Throws<RunInUseException>(() => RunLock.Take(run));
            Assert.Equal(Environment.ProcessId, e.HolderProcessId);
            Assert.Contains(run, e.Message);
            Assert.Contains("Train()", e.Message);
            Assert.Throws<RunInUseException>(() => RunLock.ThrowIfHeld(run));
        }
        using var second = RunLock.Take(run);
        Assert.False(first.Holds);
        Assert.True(second.Holds);
        Assert.Contains("took it over", Assert.Throws<RunInUseException>(() => first.Training()).Message);
        using (second.Training()) { }
    }

    [Fact]
    public void A_trainer_built_on_the_folder_while_another_trains_there_is_refused_and_the_training_one_goes_on()
    {
        var run = TestData.TempDirectory();
        using var first = new GanTrainer(Recipe with { Epochs = 2 }, TestData.Blocks(8, 32), run);
        RunInUseException? refused = null;
        first.Progress += p =>
        {
            if (p.Iteration != 1) return;
            // As a notebook cell that builds a trainer on the folder while another cell's trainer is running.
            try { using var second = new GanTrainer(Recipe, TestData.Blocks(8, 32), run); }
            catch (RunInUseException e) { refused = e; }
        };
        Assert.Equal(TrainingOutcome.Completed, first.Train());
        Assert.NotNull(refused);
        Assert.Equal(Environment.ProcessId, refused!.HolderProcessId);
        Assert.True(Locked(run));
    }
}
