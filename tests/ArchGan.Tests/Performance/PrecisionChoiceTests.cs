using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;
using TorchSharp;
using Generator = ArchGan.Model.Generator;

namespace ArchGan.Tests.Performance;

public class PrecisionChoiceTests
{
    private const string SapphireRapids = "processor\t: 0\nflags\t\t: fpu vme avx2 avx512f avx512_bf16 avx512_fp16 amx_bf16 amx_tile\n";
    private const string Skylake = "processor\t: 0\nflags\t\t: fpu vme avx2 avx512f avx512bw avx512vl\nbugs\t\t: spectre_v1\n";
    private const string Neoverse = "processor\t: 0\nFeatures\t: fp asimd sve i8mm bf16\nCPU implementer\t: 0x41\n";
    private const string CortexA72 = "processor\t: 0\nFeatures\t: fp asimd evtstrm crc32\n";

    [Theory]
    [InlineData(SapphireRapids, true)]
    [InlineData("flags\t: sse avx512_bf16\n", true)]
    [InlineData("flags\t: sse amx_bf16\n", true)]
    [InlineData(Neoverse, true)]
    [InlineData(Skylake, false)]
    [InlineData(CortexA72, false)]
    [InlineData("model name\t: A CPU called bf16\n", false)] // only the flag lines count
    [InlineData("", false)]
    public void Reads_bfloat16_support_from_the_cpu_flags(string cpuinfo, bool expected) =>
        Assert.Equal(expected, PrecisionChoice.HasBFloat16(cpuinfo));

    [Fact]
    public void Explicit_precisions_pass_through_and_auto_follows_the_cpu()
    {
        Assert.Equal(Precision.Float32, PrecisionChoice.Resolve(Precision.Float32, torch.CPU));
        Assert.Equal(Precision.BFloat16, PrecisionChoice.Resolve(Precision.BFloat16, torch.CPU));
        Assert.Equal(PrecisionChoice.CpuHasBFloat16 ? Precision.BFloat16 : Precision.Float32, PrecisionChoice.Resolve(Precision.Auto, torch.CPU));
        // The CUDA path of mixed precision is not checked on these machines, so auto keeps CUDA at float32.
        Assert.Equal(Precision.Float32, PrecisionChoice.Resolve(Precision.Auto, new torch.Device(DeviceType.CUDA)));
    }

    [Fact]
    public void This_machines_cpu_flags_and_the_oneDNN_cap_decide_auto()
    {
        if (!OperatingSystem.IsLinux()) return;
        var flags = File.ReadAllText("/proc/cpuinfo");
        // Under the Zen 5 cap oneDNN emulates bfloat16, so Auto must not choose it there.
        Assert.Equal((flags.Contains("avx512_bf16") || flags.Contains("amx_bf16") || System.Text.RegularExpressions.Regex.IsMatch(flags, @"Features.*\bbf16\b"))
                     && !ArchGan.Platform.OneDnnIsa.Capped,
            PrecisionChoice.CpuHasBFloat16);
    }

    [Fact]
    public void A_trainer_resolves_auto_and_its_networks_compute_in_the_result()
    {
        var data = Facades.Generate(8, 32, 0);
        var hp = Hyperparameters.Quick with { ImageSize = 32, BatchSize = 4, Epochs = 1, Precision = Precision.Auto };
        using var trainer = new GanTrainer(hp, data);
        var expected = PrecisionChoice.CpuHasBFloat16 ? Precision.BFloat16 : Precision.Float32;
        Assert.Equal(expected, trainer.Precision);
        Assert.Equal(expected, trainer.Generator.Precision);
        Assert.Equal(expected, trainer.Discriminator.Precision);
    }

    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Auto)]
    public void A_network_built_from_hyperparameters_computes_in_their_precision_wherever_it_is_built(Precision requested)
    {
        var hp = Hyperparameters.Quick with { ImageSize = 32, Precision = requested };
        var expected = PrecisionChoice.Resolve(requested, torch.CPU);
        using var generator = new Generator(hp);
        using var discriminator = new Discriminator(hp);
        Assert.Equal(expected, generator.Precision);
        Assert.Equal(expected, discriminator.Precision);
        // Auto on CUDA resolves for CUDA, not for this CPU.
        using var onCuda = new Generator(hp, device: new torch.Device(DeviceType.CUDA));
        Assert.Equal(PrecisionChoice.Resolve(requested, new torch.Device(DeviceType.CUDA)), onCuda.Precision);
    }

    [Fact]
    public void The_article_preset_computes_in_auto_and_the_quarter_width_presets_in_float32()
    {
        // Auto where bfloat16 pays most (the full-width article model); the quick and improved recipes, and
        // the figures published for them, stay float32.
        Assert.Equal(Precision.Auto, Hyperparameters.Article.Precision);
        Assert.Equal(Precision.Float32, Hyperparameters.Quick.Precision);
        Assert.Equal(Precision.Float32, Hyperparameters.Improved.Precision);
        Assert.Equal(Precision.Float32, new Hyperparameters().Precision);
    }
}
