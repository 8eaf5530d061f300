using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArchGan.IO;
using ArchGan.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Training;

/// <summary>
/// A training run on disk: both networks, both optimizers' moments, the noise generator's state, the fixed
/// noise, the history, the position (epoch and batch) and the hyperparameters, in one zip file. That is
/// what the article's checkpoint lacked: it kept the weights only, so training could not resume.
/// Written to a temporary file and renamed, so a crash while saving leaves the previous checkpoint whole.
/// </summary>
/// <remarks>
/// Every entry's SHA-256 is recorded in a last entry, <c>checksums.json</c>, and checked before the entry is
/// used: the zip is stored uncompressed, and .NET checks no CRC of a stored entry, so without them a flipped
/// byte in the weights loaded silently and a resumed run diverged at once. Checkpoints from before the
/// checksums still load, unchecked.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The checkpoint's name inside a run directory.</summary>
    public const string FileName = "checkpoint.ckpt";
    // 2: recipe fields (loss, label smoothing, DiffAugment, EMA, precision) and the moving-average generator.
    // An older ArchGan refuses these files instead of resuming them with the article's recipe.
    private const int FormatVersion = 2;
    private const string Magic = "archgan-checkpoint";
    private const string EmaEntry = "generator-ema.bin";
    private const string ChecksumsEntry = "checksums.json";

    // Checksums: true in files that have a checksums.json, so that a damaged name of that entry cannot pass the
    // file off as one from before checksums. An older ArchGan ignores the field and the entry.
    // LeCamReal, LeCamFake: the LeCam regularizer's moving averages; 0 in files from before it, where it was off.
    // AugmentProbability: adaptive augmentation's p; 1 in files from before it, where every transformation applied.
    private sealed record Meta(string Format, int FormatVersion, string LibraryVersion, DateTimeOffset Saved,
        int Epoch, int BatchInEpoch, long Iteration, string Hyperparameters, bool Checksums = false,
        double LeCamReal = 0, double LeCamFake = 0, double AugmentProbability = 1);

    // Sha256: each entry's hash (hex). Check: the hash of those lines, so that damage to this entry itself is
    // named as such instead of as a mismatch of the entry whose hash it altered.
    private sealed record Manifest(SortedDictionary<string, string> Sha256, string Check);

    // What each entry is, for the message that names a damaged one.
    private static readonly Dictionary<string, string> Parts = new()
    {
        ["meta.json"] = "the position and the recipe",
        ["generator.bin"] = "the generator's weights",
        [EmaEntry] = "the moving average of the generator's weights",
        ["discriminator.bin"] = "the discriminator's weights",
        ["optimizer-g.bin"] = "the generator's optimizer state",
        ["optimizer-d.bin"] = "the discriminator's optimizer state",
        ["noise-random.bin"] = "the noise generator's state",
        ["fixed-noise.bin"] = "the fixed noise of the sample grids",
        ["history.bin"] = "the loss history",
        [ChecksumsEntry] = "the checksums of the other entries",
    };

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
            s.Epoch, s.BatchInEpoch, s.History.Count, s.Hp.ToJson(), Checksums: true, s.LeCam.Real, s.LeCam.Fake, s.AugmentProbability);
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Write(zip, sums, "meta.json", w => w.Write(JsonSerializer.SerializeToUtf8Bytes(meta)));
        Write(zip, sums, "generator.bin", w => s.Generator.save(w));
        if (s.EmaGenerator is not null) Write(zip, sums, EmaEntry, w => s.EmaGenerator.save(w));
        Write(zip, sums, "discriminator.bin", w => s.Discriminator.save(w));
        Write(zip, sums, "optimizer-g.bin", w => s.OptimizerG.save_state_dict(w));
        Write(zip, sums, "optimizer-d.bin", w => s.OptimizerD.save_state_dict(w));
        Write(zip, sums, "noise-random.bin", w => { using var state = s.NoiseRandom.get_state(); state.Save(w); });
        Write(zip, sums, "fixed-noise.bin", w => s.FixedNoise.Save(w));
        Write(zip, sums, "history.bin", s.History.Write);
        // Last, once every hash is known.
        var checksums = JsonSerializer.SerializeToUtf8Bytes(new Manifest(sums, Check(sums)));
        Write(zip, null, ChecksumsEntry, w => w.Write(checksums));
    }

    private static void Write(ZipArchive zip, SortedDictionary<string, string>? sums, string name, Action<BinaryWriter> write)
    {
        // Weights are nearly incompressible; storing them keeps saving fast.
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        // Hashed on the way to the file, so the entry is neither held in memory nor read back.
        using var hashing = new HashingStream(entry);
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            write(writer);
        if (sums is not null) sums[name] = Convert.ToHexString(hashing.Hash());
    }

    private static string Check(SortedDictionary<string, string> sums) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", sums.Select(e => $"{e.Key} {e.Value}")))));

    /// <summary>
    /// Reads the hyperparameters and position of a checkpoint without loading weights. Only what it reads is
    /// checked (the recorded checksums and <c>meta.json</c>), so it stays cheap; <see cref="Verify"/> checks
    /// every entry.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, damaged or not an ArchGan checkpoint.</exception>
    public static CheckpointInfo ReadInfo(string path) => Open(path, c => Info(c));

    /// <summary>
    /// Checks every entry of a checkpoint against its recorded checksum and that none the run needs is missing,
    /// without building any network: whether the file can be resumed from. A checkpoint from before the
    /// checksums is read through, which finds a cut or broken zip but not a flipped byte.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, damaged or not an ArchGan checkpoint.</exception>
    public static CheckpointInfo Verify(string path) =>
        Open(path, c =>
        {
            var info = Info(c);
            var needed = new List<string> { "generator.bin", "discriminator.bin", "optimizer-g.bin", "optimizer-d.bin", "noise-random.bin", "fixed-noise.bin", "history.bin" };
            if (info.Hyperparameters.EmaDecay > 0) needed.Add(EmaEntry);
            foreach (var name in needed.Concat(c.Sums?.Keys ?? Enumerable.Empty<string>()).Distinct())
                Read(c, name, r => r.BaseStream.CopyTo(Stream.Null));
            return info;
        });

    /// <summary>
    /// The generator of a checkpoint, in eval mode, with the hyperparameters it was built with: the moving
    /// average of its weights when the run kept one (that is what its sample grids showed), unless
    /// <paramref name="average"/> is false.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, damaged or not an ArchGan checkpoint.</exception>
    public static (Model.Generator Generator, Hyperparameters Hyperparameters) LoadGenerator(string path, bool average = true) =>
        Open(path, c => LoadGenerator(c, average));

    // One opening for the recipe and the weights, so that a checkpoint replaced meanwhile cannot mix two files.
    private static (Model.Generator Generator, Hyperparameters Hyperparameters) LoadGenerator(Contents c, bool average)
    {
        var hp = Hyperparameters.FromJson(c.Meta.Hyperparameters);
        var generator = new Model.Generator(hp);
        try
        {
            var entry = average && Has(c, EmaEntry) ? EmaEntry : "generator.bin";
            Read(c, entry, r => generator.load(r));
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        generator.eval();
        return (generator, hp);
    }

    /// <summary>
    /// The history of the run that wrote <paramref name="path"/>: every iteration's losses and D outputs, and
    /// where each epoch ended. For plotting a finished run, which needs neither its networks nor its images.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, damaged or not an ArchGan checkpoint.</exception>
    public static TrainingHistory ReadHistory(string path) =>
        Open(path, c =>
        {
            TrainingHistory? history = null;
            Read(c, "history.bin", r => history = TrainingHistory.Read(r));
            return history!;
        });

    /// <summary>
    /// The run's fixed-noise grid as its checkpoint draws it: the generator of <see cref="LoadGenerator(string, bool)"/>
    /// (the moving average where the run kept one) on the run's own fixed noise, so the grid is the one the run's
    /// last sample grid showed, without building a trainer.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, damaged or not an ArchGan checkpoint.</exception>
    public static Data.ImageSet Samples(string path)
    {
        var (generator, noise) = Open(path, c =>
        {
            var (generator, _) = LoadGenerator(c, average: true);
            try
            {
                Tensor? fixedNoise = null;
                Read(c, "fixed-noise.bin", r => fixedNoise = Tensor.Load(r));
                return (generator, fixedNoise!);
            }
            catch
            {
                generator.Dispose();
                throw;
            }
        });
        using (generator)
        using (noise)
            return Sampling.Sampler.Generate(generator, noise);
    }

    internal sealed record Restored(Tensor FixedNoise, TrainingHistory History, int Epoch, int BatchInEpoch, LeCamAverages LeCam, double AugmentProbability);

    internal static Restored Restore(string path, Model.Generator generator, Model.Generator? emaGenerator, Discriminator discriminator,
        Adam optimizerG, Adam optimizerD, TorchSharp.torch.Generator noiseRandom) =>
        Open(path, c =>
        {
            Read(c, "generator.bin", r => generator.load(r));
            if (emaGenerator is not null) Read(c, EmaEntry, r => emaGenerator.load(r));
            Read(c, "discriminator.bin", r => discriminator.load(r));
            Read(c, "optimizer-g.bin", optimizerG.load_state_dict);
            Read(c, "optimizer-d.bin", optimizerD.load_state_dict);
            Read(c, "noise-random.bin", r => { using var state = Tensor.Load(r); noiseRandom.set_state(state); });
            TrainingHistory? history = null;
            Read(c, "history.bin", r => history = TrainingHistory.Read(r));
            Tensor? fixedNoise = null;
            Read(c, "fixed-noise.bin", r => fixedNoise = Tensor.Load(r));
            return new Restored(fixedNoise!, history!, c.Meta.Epoch, c.Meta.BatchInEpoch, new LeCamAverages(c.Meta.LeCamReal, c.Meta.LeCamFake),
                c.Meta.AugmentProbability);
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

    // Every checkpoint of a run folder, in the order to resume from them: its checkpoint, then its backups,
    // most recently written first.
    internal static IEnumerable<string> AllInRun(string runDirectory)
    {
        var current = Path.Combine(runDirectory, FileName);
        if (File.Exists(current)) yield return current;
        var backups = Path.Combine(runDirectory, BackupFolderName);
        if (!Directory.Exists(backups)) yield break;
        foreach (var backup in NewestFirst(backups)) yield return backup;
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

    // An open checkpoint: its zip, its meta.json (checked) and its recorded checksums (null in files from before them).
    private sealed record Contents(ZipArchive Zip, string Path, Meta Meta, IReadOnlyDictionary<string, string>? Sums);

    private static CheckpointInfo Info(Contents c) =>
        new(c.Path, Hyperparameters.FromJson(c.Meta.Hyperparameters), c.Meta.Epoch, c.Meta.BatchInEpoch, c.Meta.Iteration,
            c.Meta.LibraryVersion, c.Meta.Saved);

    private static T Open<T>(string path, Func<Contents, T> read)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var sums = ReadChecksums(zip, path);
            var meta = ReadMeta(zip, path, sums);
            return read(new Contents(zip, path, meta, sums));
        }
        catch (CheckpointException) { throw; }
        // Whatever a damaged zip or entry makes .NET or TorchSharp throw, the user sees one error naming the file;
        // only the failures of the process itself pass.
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or ThreadInterruptedException))
        {
            throw new CheckpointException(path, $"unreadable ({FirstLine(e.Message)}). It is truncated, damaged, or not an ArchGan checkpoint.", e, damaged: true);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static CheckpointException Damage(string path, string part, string problem) =>
        new(path, $"damaged: {part} ({Parts.GetValueOrDefault(part, "an entry")}) {problem}. Use a backup from its run's checkpoints/ folder (resuming the run folder takes the newest whole one), or train again.",
            part: part, damaged: true);

    private static IReadOnlyDictionary<string, string>? ReadChecksums(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(ChecksumsEntry);
        if (entry is null) return null;
        Manifest? checksums;
        using (var stream = entry.Open())
        {
            try { checksums = JsonSerializer.Deserialize<Manifest>(stream); }
            catch (JsonException) { throw Damage(path, ChecksumsEntry, "cannot be read"); }
        }
        if (checksums?.Sha256 is null || checksums.Check is null || Check(checksums.Sha256) != checksums.Check)
            throw Damage(path, ChecksumsEntry, "does not match its own checksum");
        return checksums.Sha256;
    }

    private static Meta ReadMeta(ZipArchive zip, string path, IReadOnlyDictionary<string, string>? sums)
    {
        Meta? meta = null;
        var c = new Contents(zip, path, null!, sums);
        Read(c, "meta.json", r => meta = JsonSerializer.Deserialize<Meta>(r.BaseStream));
        if (meta is null || meta.Format != Magic)
            throw new CheckpointException(path, "not an ArchGan checkpoint (its meta.json is foreign).");
        if (meta.FormatVersion > FormatVersion)
            throw new CheckpointException(path, $"written by a newer ArchGan ({meta.LibraryVersion}, format {meta.FormatVersion}); this is {LibraryVersion}.");
        if (meta.Checksums && sums is null)
            throw Damage(path, ChecksumsEntry, "is missing");
        return meta;
    }

    // Where checksums were recorded, they say which entries the file holds: a damaged name in the zip's
    // directory must not make an entry look absent (a missing moving average would load the raw generator).
    private static bool Has(Contents c, string name) => c.Sums?.ContainsKey(name) ?? c.Zip.GetEntry(name) is not null;

    // The entry's bytes are checked against their checksum before anything parses them, so that damaged bytes
    // never reach a loader (which could misread a length and allocate without end).
    private static void Read(Contents c, string name, Action<BinaryReader> read)
    {
        var entry = c.Zip.GetEntry(name);
        if (c.Sums is not null)
        {
            if (!c.Sums.TryGetValue(name, out var expected)) throw Damage(c.Path, name, "is not among its checksums");
            if (entry is null) throw Damage(c.Path, name, "is missing from the zip");
            string actual;
            using (var check = entry.Open()) actual = Convert.ToHexString(SHA256.HashData(check));
            if (actual != expected) throw Damage(c.Path, name, "does not match its checksum");
        }
        else if (entry is null)
        {
            throw new CheckpointException(c.Path, $"it has no {name}; it is not an ArchGan checkpoint, or was cut short.", part: name, damaged: true);
        }
        using var stream = entry.Open();
        using var reader = new BinaryReader(stream);
        if (c.Sums is null)
        {
            read(reader);
            return;
        }
        // Bytes as written that still do not load belong to another version or recipe: not damage, so no backup
        // is taken in its place.
        try { read(reader); }
        catch (Exception e) when (e is not (CheckpointException or OutOfMemoryException or OperationCanceledException))
        {
            throw new CheckpointException(c.Path, $"{name} passed its checksum but does not load ({FirstLine(e.Message)}); it was written for another recipe or by another version.", e, part: name);
        }
    }
}
