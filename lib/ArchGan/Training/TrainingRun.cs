using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArchGan.Data;
using ArchGan.Display;
using ArchGan.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>
/// The life of a run folder (<c>runs/&lt;name&gt;/</c>): starting a fresh run there, or refusing to where the
/// folder already holds a checkpoint, and overwriting it when asked; resuming it, where only the epoch budget
/// may change; the <c>data.json</c> that records what it trained on, and the check on resuming that the images
/// are still those. The command line and the notebooks go through this one type, so that a run started in
/// one can be continued in the other under the same rules. It returns what it finds (the checkpoint, a change
/// in the data) for the host to show; it prints nothing, and leaves libtorch's thread count to the host.
/// </summary>
/// <remarks>
/// Two steps: <see cref="Start"/> or <see cref="Resume(string, int?, string?, DataSource?)"/> checks the
/// request and reads the folder without changing anything; <see cref="Open"/>, given the images, builds the
/// trainer and only then clears an overwritten run's files and writes <c>data.json</c>. A recipe or images that
/// are refused leave an old run as it was.
/// </remarks>
public sealed class TrainingRun
{
    /// <summary>The record of the data, <see cref="DataSource"/>, inside a run folder.</summary>
    public const string DataFileName = "data.json";

    /// <summary>Where notebook 07 trains the tutorial's model, under a notebook's runs folder.</summary>
    public const string TutorialRunName = "notebook-07";

    private TrainingRun(string directory, Hyperparameters hp, DataSource source, CheckpointInfo? resumed)
    {
        Directory = directory;
        Hyperparameters = hp;
        Source = source;
        Resumed = resumed;
    }

    /// <summary>
    /// The run folder: under the runs folder as given to <see cref="Start"/>, or, resumed, the full path of the
    /// checkpoint's run folder.
    /// </summary>
    public string Directory { get; }

    /// <summary>The recipe: the one given to <see cref="Start"/>, or the checkpoint's with the epoch budget resuming set.</summary>
    public Hyperparameters Hyperparameters { get; }

    /// <summary>
    /// What the run trains on. After <see cref="Open"/>, also how many images, their fingerprint and the thread
    /// count, as written to <c>data.json</c>.
    /// </summary>
    public DataSource Source { get; private set; }

    /// <summary>The checkpoint a resumed run continues from; null for a fresh run.</summary>
    public CheckpointInfo? Resumed { get; }

    /// <summary>
    /// After <see cref="Open"/> of a resumed run: how its images differ from those it was trained on, or null
    /// when they do not (or a run from before that was recorded cannot tell). Training goes on either way, but
    /// not as an exact continuation; the host says so.
    /// </summary>
    public string? DataChange { get; private set; }

    /// <summary>
    /// For a run folder resumed whose checkpoint was damaged (see <see cref="CheckpointException.Damaged"/>):
    /// which files were passed over and the backup resumed from instead (<see cref="Resumed"/>), for the host to
    /// say before training; null when the newest checkpoint was whole. <see cref="Open"/> renames the damaged
    /// files with <c>.damaged</c> added, so that they are kept for a look but never rotated in among the backups
    /// or found by <c>sample</c>.
    /// </summary>
    public string? FallBack { get; private init; }

    private IReadOnlyList<string> damaged = [];

    /// <summary>The name a run gets when none is given: its data, then its preset ("facades-quick", "photos-improved").</summary>
    public static string DefaultName(DataSource source, string preset) => $"{source.ShortName()}-{preset.ToLowerInvariant()}";

    /// <summary>
    /// A fresh run of <paramref name="hp"/> on <paramref name="source"/> in <paramref name="runsFolder"/>/<paramref name="name"/>.
    /// Nothing is written until <see cref="Open"/>.
    /// </summary>
    /// <param name="hp">The recipe; checked here, so that a bad one never touches the folder.</param>
    /// <param name="source">What it trains on, recorded in <c>data.json</c> for resuming.</param>
    /// <param name="runsFolder">The folder that holds the run folders.</param>
    /// <param name="name">The run folder's name: <see cref="DefaultName"/> or the user's.</param>
    /// <param name="overwrite">
    /// Replace a run that is already there: its checkpoints, grids, curves and records go at <see cref="Open"/>;
    /// anything else in the folder stays.
    /// </param>
    /// <exception cref="HyperparameterException">
    /// A field of <paramref name="hp"/> is not allowed, or the folder holds a checkpoint and <paramref name="overwrite"/> is false.
    /// </exception>
    /// <exception cref="RunInUseException">Another process trains in the run folder.</exception>
    public static TrainingRun Start(Hyperparameters hp, DataSource source, string runsFolder, string name, bool overwrite = false)
    {
        hp.Validate();
        // As the caller wrote it (relative stays relative), so that the paths a notebook shows are not this machine's.
        var directory = Path.Combine(runsFolder, name);
        if (Checkpoint.InRun(directory) is not null && !overwrite)
        {
            var shown = Shown(directory);
            throw new HyperparameterException("--name", name,
                $"a new run name: {shown} already holds a checkpoint. Continue it with --resume {shown}, or pass --overwrite or another --name");
        }
        // Before the images are loaded: a run folder another process trains in is refused now, even with overwrite.
        RunLock.ThrowIfHeld(directory);
        return new TrainingRun(directory, hp, source, null);
    }

    /// <summary>
    /// The run of <paramref name="runOrCheckpoint"/> (see <see cref="FindCheckpoint"/>), to go on to
    /// <paramref name="epochs"/> epochs (by default the epochs it planned).
    /// </summary>
    /// <inheritdoc cref="Resume(string, IEnumerable{ValueTuple{string, string}}, string?, DataSource?)"/>
    public static TrainingRun Resume(string runOrCheckpoint, int? epochs = null, string? dataFolder = null, DataSource? unrecorded = null) =>
        Resume(runOrCheckpoint,
            epochs is int e ? [(nameof(Hyperparameters.Epochs), e.ToString(CultureInfo.InvariantCulture))] : Array.Empty<(string, string)>(),
            dataFolder, unrecorded);

    /// <summary>
    /// The run of <paramref name="runOrCheckpoint"/> (see <see cref="FindCheckpoint"/>), with the fields in
    /// <paramref name="changes"/> set from text. Only <see cref="Hyperparameters.Epochs"/> may change: any other
    /// change would make the checkpoint's networks and optimizers belong to another recipe. Nothing is written
    /// until <see cref="Open"/>.
    /// </summary>
    /// <param name="runOrCheckpoint">A run folder, or a checkpoint file (a backup continues from where it was saved).</param>
    /// <param name="changes">Fields and their text, as on the command line.</param>
    /// <param name="dataFolder">Where the run's images are now, when they have moved: replaces the folder in <c>data.json</c>.</param>
    /// <param name="unrecorded">
    /// What the run trained on where its folder has no <c>data.json</c> (runs from before it was written); by
    /// default the command line's: 2,048 facades from seed 0.
    /// </param>
    /// <exception cref="HyperparameterException">
    /// A change to a field other than the epochs, text that does not parse, or no more epochs than the checkpoint has finished.
    /// </exception>
    /// <exception cref="CheckpointException">
    /// The checkpoint is missing, truncated, damaged (for a run folder: and so is every backup) or not an ArchGan checkpoint.
    /// </exception>
    /// <exception cref="FileNotFoundException">A run folder with no checkpoint.</exception>
    /// <exception cref="RunInUseException">Another process trains in the run folder.</exception>
    public static TrainingRun Resume(string runOrCheckpoint, IEnumerable<(string Field, string Text)> changes, string? dataFolder = null, DataSource? unrecorded = null)
    {
        var (info, fallBack, damaged) = Whole(runOrCheckpoint);
        var checkpoint = info.Path;
        var directory = Checkpoint.RunDirectoryOf(checkpoint);
        // Before the images are loaded, which can take minutes: a run another process trains is refused now.
        RunLock.ThrowIfHeld(directory);
        var hp = info.Hyperparameters;
        foreach (var (field, text) in changes)
        {
            var value = Hyperparameters.Parse(field, text);
            var name = Hyperparameters.FieldName(field);
            if (name != nameof(Hyperparameters.Epochs))
                throw new HyperparameterException(Hyperparameters.OptionName(name), value, "no change when resuming (only --epochs may be raised); start a new run to change it");
            hp = hp with { Epochs = (int)value };
        }
        if (hp.Epochs <= info.Epoch)
            throw new HyperparameterException("--epochs", hp.Epochs, $"more than the {info.Epoch} epochs that {Shown(checkpoint)} has finished, to train it further");
        // A folder given on resuming replaces the saved one, for images that have moved.
        var saved = ReadSource(directory);
        var source = saved ?? unrecorded ?? new DataSource(null, 2048, 0);
        if (dataFolder is not null) source = source with { Folder = dataFolder };
        return new TrainingRun(directory, hp, source, info) { FallBack = fallBack, damaged = damaged };
    }

    // The checkpoint to resume from, read through and checked against its checksums. For a run folder, a
    // damaged checkpoint is passed over for the newest whole backup; a checkpoint that is whole but cannot be
    // resumed here (from a newer ArchGan) is an error as it is, since its backups are no better.
    private static (CheckpointInfo Info, string? FallBack, IReadOnlyList<string> Damaged) Whole(string runOrCheckpoint)
    {
        var checkpoint = FindCheckpoint(runOrCheckpoint);
        if (!System.IO.Directory.Exists(runOrCheckpoint)) return (Checkpoint.Verify(checkpoint), null, []);
        var damaged = new List<CheckpointException>();
        foreach (var candidate in Checkpoint.AllInRun(runOrCheckpoint))
        {
            try
            {
                var info = Checkpoint.Verify(candidate);
                if (damaged.Count == 0) return (info, null, []);
                var which = string.Join("; ", damaged.Select(e => $"{Shown(e.Path)} is damaged ({e.Part ?? "its zip structure"} failed its check)"));
                return (info, $"{which}. Resuming from the newest whole backup, {Shown(candidate)} (iteration {info.Iteration}); " +
                    $"the damaged file{(damaged.Count == 1 ? " is" : "s are")} kept with .damaged added to the name.", damaged.Select(e => e.Path).ToList());
            }
            catch (CheckpointException e) when (e.Damaged) { damaged.Add(e); }
        }
        var first = damaged[0];
        throw new CheckpointException(first.Path, $"{first.Problem} No backup of the run is whole either.", first, first.Part, damaged: true);
    }

    /// <summary>
    /// A checkpoint file from what a user names: a file as it is; a run folder's checkpoint, or its newest
    /// backup where the checkpoint is missing; or, for nothing, the newest checkpoint under <paramref name="runsFolder"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing named, and no checkpoint under the runs folder; or a folder with no checkpoint.</exception>
    public static string FindCheckpoint(string? given, string runsFolder = "runs")
    {
        if (given is null)
            return Checkpoint.Latest(runsFolder) ?? throw new FileNotFoundException($"No checkpoint under {runsFolder}/; train one with 'archgan train' or pass --checkpoint.");
        if (System.IO.Directory.Exists(given))
            return Checkpoint.InRun(given) ?? throw new FileNotFoundException($"The folder {given} holds no {Checkpoint.FileName} and no checkpoints/ backups.");
        return given;
    }

    /// <summary>The run's images as its <see cref="Source"/> gives them, at its recipe's size (see <see cref="DataSource.Load"/>).</summary>
    /// <exception cref="DatasetException">The folder does not exist, or holds no usable image.</exception>
    public (ImageSet Images, LoadReport? Report) LoadImages(string? cacheDirectory = null) => Source.Load(Hyperparameters, cacheDirectory);

    /// <summary>
    /// The trainer of this run on <paramref name="images"/>: a fresh one, or the checkpoint's restored. Only
    /// once it is built, with the recipe and the images accepted, does an overwritten run's old files go; then
    /// <c>data.json</c> records the source, the images' number and fingerprint and libtorch's thread count. For
    /// a resumed run, <see cref="DataChange"/> says first whether the images are those it was trained on.
    /// </summary>
    /// <exception cref="HyperparameterException">The images do not fit the recipe (their size, or fewer than a batch).</exception>
    /// <exception cref="CheckpointException">The checkpoint cannot be read, or stopped mid-epoch at a batch these images do not have.</exception>
    public GanTrainer Open(ImageSet images, Device? device = null)
    {
        var fingerprint = images.Fingerprint();
        DataChange = Resumed is null ? null : Source.ChangeTo(images, fingerprint);
        var recorded = Source with { Threads = torch.get_num_threads(), Images = images.Count, Fingerprint = fingerprint };
        var trainer = Resumed is not null
            ? GanTrainer.Resume(Resumed.Path, images, Directory, Hyperparameters.Epochs, device)
            : new GanTrainer(Hyperparameters, images, Directory, device);
        try
        {
            if (Resumed is null) Clear(Directory);
            SetAside(damaged);
            WriteSource(Directory, recorded);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        Source = recorded;
        return trainer;
    }

    /// <summary>
    /// The checkpoint of the tutorial's model for a notebook that needs one: notebook 07's, under
    /// <paramref name="runsFolder"/>, if it has been run; else the short model this notebook trained before in
    /// <paramref name="fallbackName"/>; else a short model trained now (the quick recipe at
    /// <paramref name="imageSize"/>, for <paramref name="epochs"/> epochs on <paramref name="facades"/> facades),
    /// so that the notebook runs on its own. Which of the three it is goes to <paramref name="say"/>, before any
    /// training, as the reader should know what they are looking at.
    /// </summary>
    public static string FindOrTrain(string runsFolder, string fallbackName, int imageSize, int facades, int epochs, Action<string>? say = null)
    {
        say ??= _ => { };
        var tutorialRun = Path.Combine(runsFolder, TutorialRunName);
        if (Checkpoint.Latest(tutorialRun) is string trained)
        {
            say($"Using the model notebook 07 trained: {trained}");
            return trained;
        }
        var fallbackFolder = Path.Combine(runsFolder, fallbackName);
        if (Checkpoint.Latest(fallbackFolder) is string earlier)
        {
            say($"No checkpoint from notebook 07; using the short model this notebook trained earlier: {earlier}");
            return earlier;
        }
        say($"No checkpoint from notebook 07 under {tutorialRun}.");
        say($"Training a short model here instead ({epochs} epochs on {facades} facades of {imageSize} x {imageSize}); expect rougher buildings than notebook 07's.");
        var hp = Hyperparameters.Quick with { ImageSize = imageSize, Epochs = epochs, CheckpointEvery = epochs, SampleCount = 16 };
        var run = Start(hp, new DataSource(null, facades, 0), runsFolder, fallbackName, overwrite: true);
        var clock = Stopwatch.StartNew();
        using var trainer = run.Open(run.LoadImages().Images);
        trainer.Train();
        say($"Trained in {clock.Elapsed.TotalSeconds:F0} s.");
        return trainer.CheckpointPath!;
    }

    /// <summary>The <c>data.json</c> of <paramref name="runDirectory"/>, or null where it has none.</summary>
    public static DataSource? ReadSource(string runDirectory)
    {
        var path = Path.Combine(runDirectory, DataFileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DataSource>(File.ReadAllText(path)) : null;
    }

    // The folder as a full path: data.json is read from wherever the run is resumed.
    private static void WriteSource(string runDirectory, DataSource source)
    {
        var folder = source.Folder is null ? null : Path.GetFullPath(source.Folder);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, DataFileName), JsonSerializer.Serialize(source with { Folder = folder }));
    }

    // Deletes what a run writes into the directory: its checkpoint and the backups in checkpoints/, samples/,
    // losses.html, hyperparameters.json and data.json. Anything else there stays. For a fresh run under an old
    // run's name, which would otherwise keep the old run's grids beside its own and rotate the old checkpoint
    // in among its backups.
    private static void Clear(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) return;
        foreach (var file in new[] { Checkpoint.FileName, "losses.html", "hyperparameters.json", DataFileName })
            File.Delete(Path.Combine(directory, file));
        foreach (var folder in new[] { "checkpoints", "samples" })
        {
            var path = Path.Combine(directory, folder);
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
    }

    // Under the run's lock, as the trainer is built. A file that cannot be renamed stays: it is passed over
    // again on the next resume, and the rotation of backups deletes it in time.
    private static void SetAside(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            try
            {
                if (File.Exists(file)) File.Move(file, file + ".damaged", overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static string Shown(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
}
