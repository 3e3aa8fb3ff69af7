using System.Globalization;
using System.Text.RegularExpressions;

namespace GeoEdge.Inference.Bundles;

/// <summary>A Semantic Versioning 2.0.0 version, ordered by semver precedence (build metadata ignored).</summary>
public sealed partial record SemanticVersion : IComparable<SemanticVersion>
{
    /// <summary>semver.org's regular expression, with [0-9] for \d so that .NET and ECMAScript read it alike.</summary>
    internal const string Pattern =
        @"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)" +
        @"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?" +
        @"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$";

    private SemanticVersion(long major, long minor, long patch, string? preRelease, string? build)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        PreRelease = preRelease;
        Build = build;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    public string? PreRelease { get; }

    public string? Build { get; }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        if (text is null || text.Length > 256 || text.EndsWith('\n'))
        {
            return false;
        }

        Match m = Regex().Match(text);
        if (!m.Success
            || !long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long major)
            || !long.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long minor)
            || !long.TryParse(m.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long patch))
        {
            return false;
        }

        version = new SemanticVersion(
            major, minor, patch, m.Groups[4].Success ? m.Groups[4].Value : null, m.Groups[5].Success ? m.Groups[5].Value : null);
        return true;
    }

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out SemanticVersion? version) ? version : throw new FormatException($"'{text}' is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])");

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Major.CompareTo(other.Major);
        c = c != 0 ? c : Minor.CompareTo(other.Minor);
        c = c != 0 ? c : Patch.CompareTo(other.Patch);
        return c != 0 ? c : ComparePreRelease(PreRelease, other.PreRelease);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}{(PreRelease is null ? string.Empty : "-" + PreRelease)}{(Build is null ? string.Empty : "+" + Build)}");

    // semver §11: a release outranks its pre-releases; identifiers compare numerically when both are numbers, else ordinally.
    private static int ComparePreRelease(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }

        string[] x = a.Split('.');
        string[] y = b.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            bool xNumeric = long.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out long xn);
            bool yNumeric = long.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out long yn);
            int c = (xNumeric, yNumeric) switch
            {
                (true, true) => xn.CompareTo(yn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x[i], y[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
