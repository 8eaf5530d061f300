using System.Reflection;

namespace ArchGan.Notebooks;

/// <summary>
/// The NuGet packages this runner was built with. A headless run cannot restore packages, so a notebook's
/// <c>#r "nuget: ..."</c> is satisfied only by one of these, at the same version; the versions come from the
/// build (Directory.Build.props) through assembly metadata written by the project file.
/// </summary>
internal static class CarriedPackages
{
    private const string MetadataPrefix = "ArchGan.Notebooks.CarriedPackage:";

    public static IReadOnlyDictionary<string, string> All { get; } = typeof(CarriedPackages).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal))
        .ToDictionary(a => a.Key[MetadataPrefix.Length..], a => a.Value ?? "", StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws a <see cref="NotebookDirectiveException"/> unless the package is carried at a matching version.</summary>
    public static void Check(string name, string? version)
    {
        if (!All.TryGetValue(name, out var carried))
        {
            var asked = version is null ? name : $"{name} {version}";
            throw new NotebookDirectiveException(
                $"#r \"nuget: {name}\": this runner does not carry {name} and cannot download packages (notebook asks for {asked}). " +
                $"It carries: {string.Join(", ", All.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key} {p.Value}"))}.");
        }
        if (!string.IsNullOrWhiteSpace(version) && !VersionMatches(carried, version.Trim()))
        {
            var carriedName = All.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            throw new NotebookDirectiveException(
                $"#r \"nuget: {name}, {version}\": this runner carries {carriedName} {carried}; notebook asks for {name} {version}.");
        }
    }

    /// <summary>
    /// NuGet's version forms a notebook is likely to use: an exact version ("0.107.0" equals "0.107"), a floating
    /// one ("0.107.*", "*"), or an interval ("[0.107.0,)", "[0.100,0.200)").
    /// </summary>
    internal static bool VersionMatches(string carried, string requested)
    {
        if (requested == "*" || requested == "*-*")
        {
            return true;
        }
        if (requested.StartsWith('[') || requested.StartsWith('('))
        {
            return IntervalContains(requested, carried);
        }
        if (requested.Contains('*'))
        {
            var prefix = requested[..requested.IndexOf('*')].TrimEnd('.', '-');
            var carriedParts = NumericParts(carried);
            var prefixParts = prefix.Length == 0 ? Array.Empty<long>() : NumericParts(prefix);
            return prefixParts.Length <= carriedParts.Length && prefixParts.SequenceEqual(carriedParts.Take(prefixParts.Length));
        }
        // A bare version in NuGet means "at least", but the kernel then restores exactly that one when it is
        // available; running a notebook against another version than its author saw is what this check prevents.
        return Compare(carried, requested) == 0;
    }

    private static bool IntervalContains(string interval, string version)
    {
        var lowerInclusive = interval[0] == '[';
        var upperInclusive = interval[^1] == ']';
        var body = interval[1..^1];
        var comma = body.IndexOf(',');
        if (comma < 0)
        {
            return Compare(version, body.Trim()) == 0;
        }
        var lower = body[..comma].Trim();
        var upper = body[(comma + 1)..].Trim();
        if (lower.Length > 0)
        {
            var c = Compare(version, lower);
            if (c < 0 || (c == 0 && !lowerInclusive))
            {
                return false;
            }
        }
        if (upper.Length > 0)
        {
            var c = Compare(version, upper);
            if (c > 0 || (c == 0 && !upperInclusive))
            {
                return false;
            }
        }
        return true;
    }

    // Numeric parts padded to four, then the prerelease label (a release sorts after its prereleases).
    private static int Compare(string a, string b)
    {
        var pa = NumericParts(a);
        var pb = NumericParts(b);
        for (var i = 0; i < 4; i++)
        {
            var c = (i < pa.Length ? pa[i] : 0).CompareTo(i < pb.Length ? pb[i] : 0);
            if (c != 0)
            {
                return c;
            }
        }
        var la = Label(a);
        var lb = Label(b);
        if (la.Length == 0 || lb.Length == 0)
        {
            return (la.Length == 0).CompareTo(lb.Length == 0);
        }
        return string.Compare(la, lb, StringComparison.OrdinalIgnoreCase);
    }

    private static long[] NumericParts(string version)
    {
        var core = version.Split('-', '+')[0];
        return core.Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => long.TryParse(p, out var n) ? n : -1)
            .ToArray();
    }

    private static string Label(string version)
    {
        var withoutMetadata = version.Split('+')[0];
        var dash = withoutMetadata.IndexOf('-');
        return dash < 0 ? "" : withoutMetadata[(dash + 1)..];
    }
}
