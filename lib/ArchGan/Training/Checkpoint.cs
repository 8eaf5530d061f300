using System.IO.Compression;
using System.Text.Json;
using ArchGan.IO;
using ArchGan.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ExternalException = System.Runtime.InteropServices.ExternalException;

namespace ArchGan.Training;

/// <summary>
/// A training run on disk: both networks, both optimizers' moments, the noise generator's state, the fixed
/// noise, the history, the position (epoch and batch) and the hyperparameters, in one zip file. That is
/// what the article's checkpoint lacked: it kept the weights only, so training could not resume.
/// Written to a temporary file and renamed, so a crash while saving leaves the previous checkpoint whole.
/// </summary>
public static class Checkpoint
{
    /// <summary>The checkpoint's name inside a run directory.</summary>
    public const string FileName = "checkpoint.ckpt";
    // 2: recipe fields (loss, label smoothing, DiffAugment, EMA, precision) and the moving-average generator.
    // An older ArchGan refuses these files instead of resuming them with the article's recipe.
    private const int FormatVersion = 2;
    private const string Magic = "archgan-checkpoint";
    private const string EmaEntry = "generator-ema.bin";

    private sealed record Meta(string Format, int FormatVersion, string LibraryVersion, DateTimeOffset Saved,
        int Epoch, int BatchInEpoch, long Iteration, string Hyperparameters);

    /// <summary>The version of this library, written into every checkpoint.</summary>
    public static string LibraryVersion { get; } =
        typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Writes <paramref name="s"/> to <paramref name="path"/>. The whole file is written and flushed under a
    /// temporary name first. Then, when <paramref name="keep"/> is over 1, the checkpoint it replaces moves to
    /// <c>checkpoints/iteration-NNNNNNNN.ckpt</c> beside it, and the new file takes its name; only the
    /// <paramref name="keep"/> − 1 most recently written of those backups stay. Whenever the process dies,
    /// <paramref name="path"/> or, for the instant between the two renames, the newest backup is a whole
    /// checkpoint (<see cref="InRun"/> finds either).
    /// </summary>
    internal static void Save(string path, CheckpointState s, int keep = 1)
    {
        AtomicFile.Write(path, stream => WriteTo(stream, s), beforeReplace: () => MoveAside(path, keep));
        if (keep > 1) Prune(BackupFolder(path), keep);
    }

    private static void WriteTo(Stream file, CheckpointState s)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
        var meta = new Meta(Magic, FormatVersion, LibraryVersion, DateTimeOffset.UtcNow,
            s.Epoch, s.BatchInEpoch, s.History.Count, s.Hp.ToJson());
        Write(zip, "meta.json", w => w.Write(JsonSerializer.SerializeToUtf8Bytes(meta)));
        Write(zip, "generator.bin", w => s.Generator.save(w));
        if (s.EmaGenerator is not null) Write(zip, EmaEntry, w => s.EmaGenerator.save(w));
        Write(zip, "discriminator.bin", w => s.Discriminator.save(w));
        Write(zip, "optimizer-g.bin", w => s.OptimizerG.save_state_dict(w));
        Write(zip, "optimizer-d.bin", w => s.OptimizerD.save_state_dict(w));
        Write(zip, "noise-random.bin", w => { using var state = s.NoiseRandom.get_state(); state.Save(w); });
        Write(zip, "fixed-noise.bin", w => s.FixedNoise.Save(w));
        Write(zip, "history.bin", s.History.Write);
    }

    private static void Write(ZipArchive zip, string name, Action<BinaryWriter> write)
    {
        // Weights are nearly incompressible; storing them keeps saving fast.
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        using var writer = new BinaryWriter(entry);
        write(writer);
    }

    /// <summary>Reads the hyperparameters and position of a checkpoint without loading weights.</summary>
    /// <exception cref="CheckpointException">The file is missing, truncated or not an ArchGan checkpoint.</exception>
    public static CheckpointInfo ReadInfo(string path) =>
        Open(path, zip =>
        {
            var meta = ReadMeta(zip, path);
            return new CheckpointInfo(path, Hyperparameters.FromJson(meta.Hyperparameters), meta.Epoch,
                meta.BatchInEpoch, meta.Iteration, meta.LibraryVersion, meta.Saved);
        });

    /// <summary>
    /// The generator of a checkpoint, in eval mode, with the hyperparameters it was built with: the moving
    /// average of its weights when the run kept one (that is what its sample grids showed), unless
    /// <paramref name="average"/> is false.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated or not an ArchGan checkpoint.</exception>
    public static (Model.Generator Generator, Hyperparameters Hyperparameters) LoadGenerator(string path, bool average = true)
    {
        var hp = ReadInfo(path).Hyperparameters;
        var generator = new Model.Generator(hp);
        Open(path, zip =>
        {
            var entry = average && zip.GetEntry(EmaEntry) is not null ? EmaEntry : "generator.bin";
            Read(zip, path, entry, r => generator.load(r));
            return 0;
        });
        generator.eval();
        return (generator, hp);
    }

    /// <summary>
    /// The history of the run that wrote <paramref name="path"/>: every iteration's losses and D outputs, and
    /// where each epoch ended. For plotting a finished run, which needs neither its networks nor its images.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated or not an ArchGan checkpoint.</exception>
    public static TrainingHistory ReadHistory(string path) =>
        Open(path, zip =>
        {
            ReadMeta(zip, path);
            TrainingHistory? history = null;
            Read(zip, path, "history.bin", r => history = TrainingHistory.Read(r));
            return history!;
        });

    /// <summary>
    /// The run's fixed-noise grid as its checkpoint draws it: the generator of <see cref="LoadGenerator"/> (the
    /// moving average where the run kept one) on the run's own fixed noise, so the grid is the one the run's
    /// last sample grid showed, without building a trainer.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated or not an ArchGan checkpoint.</exception>
    public static Data.ImageSet Samples(string path)
    {
        var (generator, _) = LoadGenerator(path);
        using (generator)
        {
            using var noise = Open(path, zip =>
            {
                Tensor? fixedNoise = null;
                Read(zip, path, "fixed-noise.bin", r => fixedNoise = Tensor.Load(r));
                return fixedNoise!;
            });
            return Sampling.Sampler.Generate(generator, noise);
        }
    }

    internal sealed record Restored(Tensor FixedNoise, TrainingHistory History, int Epoch, int BatchInEpoch);

    internal static Restored Restore(string path, Model.Generator generator, Model.Generator? emaGenerator, Discriminator discriminator,
        Adam optimizerG, Adam optimizerD, TorchSharp.torch.Generator noiseRandom) =>
        Open(path, zip =>
        {
            var meta = ReadMeta(zip, path);
            Read(zip, path, "generator.bin", r => generator.load(r));
            if (emaGenerator is not null) Read(zip, path, EmaEntry, r => emaGenerator.load(r));
            Read(zip, path, "discriminator.bin", r => discriminator.load(r));
            Read(zip, path, "optimizer-g.bin", optimizerG.load_state_dict);
            Read(zip, path, "optimizer-d.bin", optimizerD.load_state_dict);
            Read(zip, path, "noise-random.bin", r => { using var state = Tensor.Load(r); noiseRandom.set_state(state); });
            Tensor? fixedNoise = null;
            Read(zip, path, "fixed-noise.bin", r => fixedNoise = Tensor.Load(r));
            TrainingHistory? history = null;
            Read(zip, path, "history.bin", r => history = TrainingHistory.Read(r));
            return new Restored(fixedNoise!, history!, meta.Epoch, meta.BatchInEpoch);
        });

    /// <summary>
    /// The most recently written checkpoint under <paramref name="directory"/> (searched recursively), or
    /// null when there is none: how a notebook finds the model that notebook 07 trained.
    /// </summary>
    public static string? Latest(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, FileName, SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;

    /// <summary>
    /// The checkpoint of the run in <paramref name="runDirectory"/>: its <see cref="FileName"/>, or, where that
    /// is missing (a process killed between the two renames of <see cref="Save"/>, or a file deleted by
    /// hand), the most recently written backup in its <c>checkpoints/</c> folder; null when it has neither.
    /// </summary>
    public static string? InRun(string runDirectory)
    {
        var current = Path.Combine(runDirectory, FileName);
        if (File.Exists(current)) return current;
        var backups = Path.Combine(runDirectory, BackupFolderName);
        return Directory.Exists(backups) ? NewestFirst(backups).FirstOrDefault() : null;
    }

    /// <summary>
    /// The run folder a checkpoint file belongs to: the folder that holds it, or, for a backup in a run's
    /// <c>checkpoints/</c> folder, the run folder above.
    /// </summary>
    public static string RunDirectoryOf(string checkpointPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        return Path.GetFileName(folder) == BackupFolderName && Path.GetDirectoryName(folder) is { } run ? run : folder;
    }

    private const string BackupFolderName = "checkpoints";

    private static string BackupFolder(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, BackupFolderName);

    // Most recently written first: after a run resumed from an older backup, its own new backups outrank
    // those of the iterations it abandoned, whatever their numbers.
    private static IEnumerable<string> NewestFirst(string folder) =>
        Directory.GetFiles(folder, "iteration-*.ckpt")
            .OrderByDescending(File.GetLastWriteTimeUtc).ThenByDescending(f => f, StringComparer.Ordinal);

    // The checkpoint at path becomes checkpoints/iteration-NNNNNNNN.ckpt. A file there that cannot be read is
    // left where it is, for the new checkpoint to replace.
    private static void MoveAside(string path, int keep)
    {
        if (keep <= 1 || !File.Exists(path)) return;
        long iteration;
        try { iteration = ReadInfo(path).Iteration; }
        catch (CheckpointException) { return; }
        var folder = BackupFolder(path);
        Directory.CreateDirectory(folder);
        File.Move(path, Path.Combine(folder, $"iteration-{iteration:D8}.ckpt"), overwrite: true);
    }

    private static void Prune(string folder, int keep)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var old in NewestFirst(folder).Skip(keep - 1))
            File.Delete(old);
    }

    private static T Open<T>(string path, Func<ZipArchive, T> read)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return read(zip);
        }
        catch (CheckpointException) { throw; }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or JsonException
                                      or ArgumentException or ExternalException or FormatException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message}). It is truncated, damaged, or not an ArchGan checkpoint.", e);
        }
    }

    private static Meta ReadMeta(ZipArchive zip, string path)
    {
        Meta? meta = null;
        Read(zip, path, "meta.json", r => meta = JsonSerializer.Deserialize<Meta>(r.BaseStream));
        if (meta is null || meta.Format != Magic)
            throw new CheckpointException(path, "not an ArchGan checkpoint (its meta.json is foreign).");
        if (meta.FormatVersion > FormatVersion)
            throw new CheckpointException(path, $"written by a newer ArchGan ({meta.LibraryVersion}, format {meta.FormatVersion}); this is {LibraryVersion}.");
        return meta;
    }

    private static void Read(ZipArchive zip, string path, string name, Action<BinaryReader> read)
    {
        var entry = zip.GetEntry(name) ?? throw new CheckpointException(path, $"it has no {name}; it is not an ArchGan checkpoint, or was cut short.");
        using var stream = entry.Open();
        using var reader = new BinaryReader(stream);
        read(reader);
    }
}
