using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ArchGan.Training;
using TorchSharp;

namespace ArchGan.Tests.Training;

/// <summary>
/// A checkpoint with bytes flipped anywhere: every load either refuses it with a <see cref="CheckpointException"/>
/// naming the file, or, for bytes the zip format never reads, loads exactly what was saved. Nothing else escapes,
/// and nothing damaged is loaded.
/// </summary>
public class CheckpointDamageTests
{
    private static readonly Hyperparameters Recipe = TrainerTests.Tiny with { Epochs = 1, EmaDecay = 0.9 };
    private static readonly string[] Entries =
    [
        "meta.json", "generator.bin", "generator-ema.bin", "discriminator.bin", "optimizer-g.bin", "optimizer-d.bin",
        "noise-random.bin", "fixed-noise.bin", "history.bin", "checksums.json",
    ];

    // One trained epoch with a moving average, so that every entry is there.
    private static string Save(string folder, out GanTrainer trainer)
    {
        var path = Path.Combine(folder, "good.ckpt");
        trainer = new GanTrainer(Recipe, TestData.Blocks(8, 32));
        trainer.Train();
        trainer.Save(path);
        return path;
    }

    private static bool Same(torch.nn.Module a, torch.nn.Module b)
    {
        var x = a.state_dict();
        var y = b.state_dict();
        return x.Keys.Order().SequenceEqual(y.Keys.Order()) && x.All(p => p.Value.eq(y[p.Key]).all().item<bool>());
    }

    // Where each entry's bytes start: after its local header (30 bytes, the name, the extra field).
    internal static Dictionary<string, int> DataOffsets(byte[] file)
    {
        var offsets = new Dictionary<string, int>();
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        foreach (var name in zip.Entries.Select(e => e.FullName))
        {
            var at = IndexOf(file, Encoding.ASCII.GetBytes(name));
            Assert.True(at >= 30, $"{name} not found");
            int nameLength = BitConverter.ToUInt16(file, at - 4), extraLength = BitConverter.ToUInt16(file, at - 2);
            Assert.Equal(name.Length, nameLength);
            offsets[name] = at + nameLength + extraLength;
        }
        return offsets;
    }

    /// <summary>Flips a byte inside <paramref name="entry"/>'s data, as a bad disk sector or a bad copy would.</summary>
    internal static void Flip(string path, string entry = "generator.bin", int into = 50)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[DataOffsets(bytes)[entry] + into] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }

    // The outcome of one load of a damaged copy: null when it loaded what was saved; the exception when it refused.
    private static CheckpointException? Load(string path, Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (CheckpointException e)
        {
            Assert.Contains(path, e.Message);
            return e;
        }
        // Anything else fails the test with the exception and its offset.
    }

    [Fact]
    public void A_flipped_byte_anywhere_is_refused_naming_the_file_or_changes_nothing_loaded()
    {
        var folder = TestData.TempDirectory();
        var good = Save(folder, out var trainer);
        using var _ = trainer;
        var bytes = File.ReadAllBytes(good);
        var data = TestData.Blocks(8, 32);
        var info = Checkpoint.ReadInfo(good);
        var dataOffsets = DataOffsets(bytes);
        var offsets = Enumerable.Range(0, 40).Select(i => (int)((long)i * (bytes.Length - 1) / 39))
            .Concat(dataOffsets.Values).Distinct().Order().ToList();
        var refused = 0;
        var damaged = Path.Combine(folder, "damaged.ckpt");
        var again = Path.Combine(folder, "again.ckpt");
        foreach (var offset in offsets)
        {
            var copy = (byte[])bytes.Clone();
            copy[offset] ^= 0xFF;
            File.WriteAllBytes(damaged, copy);
            var entry = dataOffsets.FirstOrDefault(e => e.Value == offset).Key;
            try
            {
                var errors = new[]
                {
                    Load(damaged, () => Assert.Equal(info with { Path = damaged }, Checkpoint.ReadInfo(damaged))),
                    Load(damaged, () =>
                    {
                        var (generator, hp) = Checkpoint.LoadGenerator(damaged);
                        using (generator) Assert.True(Same(trainer.EmaGenerator!, generator), "the moving average loaded differs");
                        Assert.Equal(Recipe, hp);
                    }),
                    Load(damaged, () =>
                    {
                        using var resumed = GanTrainer.Resume(damaged, data);
                        Assert.Equal((trainer.Epoch, trainer.BatchInEpoch), (resumed.Epoch, resumed.BatchInEpoch));
                        // Saved again, the resumed state is the original byte for byte: weights, moments, noise, history.
                        resumed.Save(again);
                        foreach (var part in Entries.Where(e => e is not ("meta.json" or "checksums.json")))
                            Assert.True(Cli.InProcessCli.CheckpointEntry(good, part).SequenceEqual(Cli.InProcessCli.CheckpointEntry(again, part)), $"{part} differs");
                    }),
                    Load(damaged, () => Checkpoint.Verify(damaged)),
                };
                if (errors.Any(e => e is not null)) refused++;
                // Verify reads every entry: it refuses whatever any load refused.
                if (errors[..3].Any(e => e is not null)) Assert.NotNull(errors[3]);
                if (entry is not null)
                {
                    // Bytes of an entry: always refused, naming the entry.
                    var verify = Assert.IsType<CheckpointException>(errors[3]);
                    Assert.True(verify.Damaged);
                    Assert.Contains(entry, verify.Message);
                    Assert.Equal(entry, verify.Part);
                    Assert.NotNull(errors[2]); // resuming reads every entry
                }
            }
            catch (Exception e) when (e is not CheckpointException)
            {
                throw new Xunit.Sdk.XunitException($"byte {offset} of {bytes.Length} ({entry ?? "not an entry's first byte"}): {e}");
            }
        }
        // Almost every byte of a checkpoint is weights: most flips must be refused.
        Assert.True(refused > offsets.Count / 2, $"only {refused} of {offsets.Count} damaged copies were refused");
    }

    [Fact]
    public void The_damage_message_names_the_file_and_the_part()
    {
        var folder = TestData.TempDirectory();
        var good = Save(folder, out var trainer);
        trainer.Dispose();
        var bytes = File.ReadAllBytes(good);
        bytes[DataOffsets(bytes)["discriminator.bin"] + 100] ^= 0xFF;
        var damaged = Path.Combine(folder, "checkpoint-with-a-flip.ckpt");
        File.WriteAllBytes(damaged, bytes);

        var e = Assert.Throws<CheckpointException>(() => GanTrainer.Resume(damaged, TestData.Blocks(8, 32)));
        Assert.Contains(damaged, e.Message);
        Assert.Contains("damaged: discriminator.bin", e.Message);
        Assert.Contains("does not match its checksum", e.Message);
        // The generator does not need it: sampling still works, as it should.
        var (generator, _) = Checkpoint.LoadGenerator(damaged);
        generator.Dispose();
    }

    // What ArchGan wrote before checksums: the same entries without checksums.json, and a meta.json without the field.
    internal static void RemoveChecksums(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry("checksums.json")!.Delete();
        var metaEntry = zip.GetEntry("meta.json")!;
        JsonObject meta;
        using (var stream = metaEntry.Open()) meta = JsonNode.Parse(stream)!.AsObject();
        Assert.True(meta.Remove("Checksums"));
        metaEntry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("meta.json", CompressionLevel.NoCompression).Open());
        writer.Write(meta.ToJsonString());
    }

    [Fact]
    public void A_checkpoint_from_before_checksums_still_loads_and_resumes()
    {
        var folder = TestData.TempDirectory();
        var path = Save(folder, out var trainer);
        using var _ = trainer;
        RemoveChecksums(path);
        using (var zip = ZipFile.OpenRead(path)) Assert.Null(zip.GetEntry("checksums.json"));

        Assert.Equal(1, Checkpoint.Verify(path).Epoch);
        var (generator, _) = Checkpoint.LoadGenerator(path);
        using (generator) Assert.True(Same(trainer.EmaGenerator!, generator));
        using var resumed = GanTrainer.Resume(path, TestData.Blocks(8, 32), epochs: 2);
        Assert.True(Same(trainer.Discriminator, resumed.Discriminator));
        Assert.Equal(TrainingOutcome.Completed, resumed.Train());
    }

    [Fact]
    public void A_checkpoint_that_lost_its_checksums_entry_is_damaged_not_old()
    {
        var folder = TestData.TempDirectory();
        var path = Save(folder, out var trainer);
        trainer.Dispose();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) zip.GetEntry("checksums.json")!.Delete();
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.ReadInfo(path));
        Assert.True(e.Damaged);
        Assert.Contains("checksums.json", e.Message);
    }
}
