// Makes TorchSharp 0.107's native library load on Linux distributions whose libstdc++ predates GCC 13
// (Debian 12, Ubuntu 22.04). libLibTorchSharp.so asks for the symbol version GLIBCXX_3.4.32 only because
// GCC 13's <iostream> references std::ios_base_library_init() to pin the newer runtime; no relocation
// uses it. Marking that one version requirement weak (VER_FLG_WEAK in .gnu.version_r) lets the dynamic
// loader accept the older libstdc++. See README.md, "Debian 12 and Ubuntu 22.04".
//
// This file is compiled twice: as an MSBuild inline task (build/TorchSharpLinuxFix.targets) and into the
// test project, which defines EXCLUDE_MSBUILD_TASK.
#nullable enable
using System;
using System.IO;
using System.Text;

public enum LibTorchSharpFixOutcome
{
    /// <summary>The system libstdc++ already provides the version: nothing to do.</summary>
    NotNeeded,
    /// <summary>The requirement was already weak: an earlier build patched it.</summary>
    AlreadyApplied,
    /// <summary>The requirement was strong and is now weak.</summary>
    Applied,
    /// <summary>The library does not ask for the version (another TorchSharp build): nothing to do.</summary>
    NoRequirement,
}

public static class LibTorchSharpFix
{
    public const string RequiredVersion = "GLIBCXX_3.4.32";
    const ushort VerFlagWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    static readonly string[] LibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    /// <summary>The first libstdc++ found in the usual places, or null.</summary>
    public static string? FindSystemLibstdcxx()
    {
        foreach (var path in LibstdcxxCandidates)
            if (File.Exists(path)) return path;
        return null;
    }

    /// <summary>True when the given libstdc++ defines <see cref="RequiredVersion"/>.</summary>
    public static bool Provides(string libstdcxxPath) =>
        IndexOf(File.ReadAllBytes(libstdcxxPath), Encoding.ASCII.GetBytes(RequiredVersion + "\0")) >= 0;

    /// <summary>
    /// Marks the GLIBCXX_3.4.32 requirement of <paramref name="libraryPath"/> weak, unless
    /// <paramref name="systemLibstdcxx"/> provides that version. Idempotent; the file is replaced atomically.
    /// </summary>
    public static LibTorchSharpFixOutcome Apply(string libraryPath, string? systemLibstdcxx)
    {
        if (systemLibstdcxx != null && Provides(systemLibstdcxx)) return LibTorchSharpFixOutcome.NotNeeded;

        var elf = File.ReadAllBytes(libraryPath);
        var flagsOffset = FindRequirementFlags(elf, RequiredVersion, libraryPath);
        if (flagsOffset < 0) return LibTorchSharpFixOutcome.NoRequirement;

        var flags = BitConverter.ToUInt16(elf, flagsOffset);
        if ((flags & VerFlagWeak) != 0) return LibTorchSharpFixOutcome.AlreadyApplied;

        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, flagsOffset);
        var temp = libraryPath + ".archgan-tmp";
        File.WriteAllBytes(temp, elf);
        File.Replace(temp, libraryPath, destinationBackupFileName: null); // a rename: readers see the old file or the new one
        return LibTorchSharpFixOutcome.Applied;
    }

    /// <summary>True when the library's requirement for <see cref="RequiredVersion"/> is marked weak.</summary>
    public static bool IsWeak(string libraryPath)
    {
        var elf = File.ReadAllBytes(libraryPath);
        var offset = FindRequirementFlags(elf, RequiredVersion, libraryPath);
        return offset >= 0 && (BitConverter.ToUInt16(elf, offset) & VerFlagWeak) != 0;
    }

    /// <summary>
    /// Walks the ELF64 little-endian section headers to .gnu.version_r and returns the file offset of the
    /// vna_flags field of the auxiliary entry named <paramref name="version"/>, or -1 when there is none.
    /// </summary>
    static int FindRequirementFlags(byte[] elf, string version, string path)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{path} is not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");

        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;

            int offset = checked((int)BitConverter.ToInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strings = checked((int)BitConverter.ToInt64(elf, checked((int)(shoff + (long)link * shentsize)) + 0x18));

            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (CStringEquals(elf, name, version)) return aux + 4;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return -1;
    }

    static bool CStringEquals(byte[] data, int offset, string value)
    {
        if (offset + value.Length >= data.Length) return false;
        for (int i = 0; i < value.Length; i++)
            if (data[offset + i] != (byte)value[i]) return false;
        return data[offset + value.Length] == 0;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        // Plain loop: MSBuild compiles inline tasks against netstandard2.0, which has no span search.
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack[i] != needle[0]) continue;
            int j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}

#if !EXCLUDE_MSBUILD_TASK
/// <summary>The MSBuild face of <see cref="LibTorchSharpFix"/>: logs one line saying what it did.</summary>
public sealed class FixLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public string LibraryPath { get; set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(LibraryPath))
        {
            Log.LogWarning($"ArchGan: {LibraryPath} not found, so it was not checked for this system's libstdc++; if torch fails to load, see README.md.");
            return true;
        }
        var libstdcxx = LibTorchSharpFix.FindSystemLibstdcxx();
        try
        {
            var outcome = LibTorchSharpFix.Apply(LibraryPath, libstdcxx);
            var message = outcome switch
            {
                LibTorchSharpFixOutcome.Applied =>
                    $"ArchGan: {libstdcxx} lacks {LibTorchSharpFix.RequiredVersion}; marked TorchSharp's need for it weak in {LibraryPath}",
                LibTorchSharpFixOutcome.AlreadyApplied =>
                    $"ArchGan: TorchSharp's {LibTorchSharpFix.RequiredVersion} need is already marked weak ({LibraryPath})",
                LibTorchSharpFixOutcome.NotNeeded =>
                    $"ArchGan: {libstdcxx} provides {LibTorchSharpFix.RequiredVersion}; TorchSharp needs no fix",
                _ => $"ArchGan: {LibraryPath} does not ask for {LibTorchSharpFix.RequiredVersion}; nothing to fix",
            };
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, message);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.LogWarning($"ArchGan: could not fix {LibraryPath} for this system's libstdc++: {e.Message}");
            return true;
        }
    }
}
#endif
