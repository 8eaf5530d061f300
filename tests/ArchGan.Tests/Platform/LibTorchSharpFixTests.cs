using System.IO.Compression;

namespace ArchGan.Tests.Platform;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak on old libstdc++. These tests run
/// the same code on an untouched copy of the library taken from the NuGet package file itself.
/// </summary>
public class LibTorchSharpFixTests
{
    internal static string Package
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg");
        }
    }

    private static string PristineLibrary()
    {
        using var zip = ZipFile.OpenRead(Package);
        var path = Path.Combine(TestData.TempDirectory(), "libLibTorchSharp.so");
        zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.ExtractToFile(path);
        return path;
    }

    private static string FakeLibstdcxx(bool provides)
    {
        var path = Path.Combine(TestData.TempDirectory(), "libstdc++.so.6");
        File.WriteAllText(path, provides ? "GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0" : "GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0");
        return path;
    }

    [PackageFact]
    public void Old_libstdcxx_gets_the_requirement_marked_weak_once_and_only_that()
    {
        var library = PristineLibrary();
        var before = File.ReadAllBytes(library);
        Assert.False(LibTorchSharpFix.IsWeak(library));

        Assert.Equal(LibTorchSharpFixOutcome.Applied, LibTorchSharpFix.Apply(library, FakeLibstdcxx(provides: false)));
        Assert.True(LibTorchSharpFix.IsWeak(library));
        var after = File.ReadAllBytes(library);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);

        Assert.Equal(LibTorchSharpFixOutcome.AlreadyApplied, LibTorchSharpFix.Apply(library, FakeLibstdcxx(provides: false)));
        Assert.Equal(after, File.ReadAllBytes(library));
    }

    [PackageFact]
    public void New_libstdcxx_leaves_the_library_untouched()
    {
        var library = PristineLibrary();
        var before = File.ReadAllBytes(library);
        Assert.Equal(LibTorchSharpFixOutcome.NotNeeded, LibTorchSharpFix.Apply(library, FakeLibstdcxx(provides: true)));
        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused()
    {
        var path = Path.Combine(TestData.TempDirectory(), "not.so");
        File.WriteAllText(path, "hello");
        Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.Apply(path, FakeLibstdcxx(provides: false)));
    }

    [Fact]
    public void The_libraries_this_build_loads_are_usable()
    {
        // If the build's fix did not run on a machine that needs it, this is where it shows: the first
        // use of torch throws TypeInitializationException.
        using var t = TorchSharp.torch.ones(2, 2);
        Assert.Equal(4f, t.sum().item<float>());
    }
}

/// <summary>A fact that is skipped when TorchSharp's package file is not in the NuGet cache (another restore layout).</summary>
internal sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute()
    {
        if (!File.Exists(LibTorchSharpFixTests.Package)) Skip = $"{LibTorchSharpFixTests.Package} is not there";
    }
}
