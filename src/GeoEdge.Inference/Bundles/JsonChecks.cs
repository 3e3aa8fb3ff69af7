using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoEdge.Inference.Bundles;

/// <summary>JSON-Schema-like checks on a <see cref="JsonElement"/> that collect <see cref="ManifestError"/>s with JSON paths.</summary>
/// <remarks>Each check reports at most one error for its element and returns whether the element may be looked into further.</remarks>
internal sealed class JsonChecks
{
    private readonly List<ManifestError> _errors = [];

    public IReadOnlyList<ManifestError> Errors => _errors;

    public static string Child(string path, string name) =>
        IsPlainName(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    public void Fail(string path, string message) => _errors.Add(new ManifestError(path, message));

    public bool Object(JsonElement e, string path) => Is(e, JsonValueKind.Object, path, "an object");

    public bool Array(JsonElement e, string path, int minItems = 0)
    {
        if (!Is(e, JsonValueKind.Array, path, "an array"))
        {
            return false;
        }

        if (e.GetArrayLength() < minItems)
        {
            Fail(path, $"needs at least {minItems} item(s)");
            return false;
        }

        return true;
    }

    /// <summary>Reports every name in <paramref name="required"/> that <paramref name="obj"/> lacks, at the path the property would have.</summary>
    public void Required(JsonElement obj, string path, params string[] required)
    {
        foreach (string name in required)
        {
            if (!obj.TryGetProperty(name, out _))
            {
                Fail(Child(path, name), "required property missing");
            }
        }
    }

    /// <summary>Reports properties outside <paramref name="known"/> (JSON Schema additionalProperties: false).</summary>
    public void NoOthers(JsonElement obj, string path, params string[] known)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (System.Array.IndexOf(known, p.Name) < 0)
            {
                Fail(Child(path, p.Name), $"unknown property (allowed here: {string.Join(", ", known)})");
            }
        }
    }

    public string? String(JsonElement e, string path, Regex? pattern = null, string? expected = null, int maxLength = 4096)
    {
        if (!Is(e, JsonValueKind.String, path, "a string"))
        {
            return null;
        }

        string value = e.GetString()!;
        if (value.Length == 0 || value.Length > maxLength)
        {
            Fail(path, $"must be 1 to {maxLength} characters long");
            return null;
        }

        if (pattern is not null && !FullMatch(pattern, value))
        {
            Fail(path, $"'{Truncate(value)}' is not {expected ?? "valid"}");
            return null;
        }

        return value;
    }

    public string? OneOf(JsonElement e, string path, IReadOnlyList<string> allowed, string what)
    {
        string? value = String(e, path);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Fail(path, $"unknown {what} '{Truncate(value)}' (one of: {string.Join(", ", allowed)})");
            return null;
        }

        return value;
    }

    public long? Integer(JsonElement e, string path, long min, long max = long.MaxValue)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long value))
        {
            Fail(path, $"expected an integer, got {Describe(e)}");
            return null;
        }

        if (value < min || value > max)
        {
            Fail(path, max == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"must be >= {min}, got {value}")
                : string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}], got {value}"));
            return null;
        }

        return value;
    }

    /// <summary>A number in [min, max]; with <paramref name="exclusiveMin"/> the lower bound itself is refused.</summary>
    public double? Number(JsonElement e, string path, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool exclusiveMin = false)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            Fail(path, $"expected a finite number, got {Describe(e)}");
            return null;
        }

        if (value < min || value > max || (exclusiveMin && value == min))
        {
            Fail(path, string.Create(CultureInfo.InvariantCulture, $"must be {(exclusiveMin ? ">" : ">=")} {min}{(double.IsPositiveInfinity(max) ? string.Empty : $" and <= {max}")}, got {value:R}"));
            return null;
        }

        return value;
    }

    public bool? Boolean(JsonElement e, string path) =>
        e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : FailBoolean(path, e);

    /// <summary>An array of arrays of numbers; returns the row lengths when it is one.</summary>
    public int[]? NumberMatrix(JsonElement e, string path)
    {
        if (!Array(e, path, minItems: 1))
        {
            return null;
        }

        var lengths = new int[e.GetArrayLength()];
        bool ok = true;
        int i = 0;
        foreach (JsonElement row in e.EnumerateArray())
        {
            string rowPath = Item(path, i);
            if (Array(row, rowPath, minItems: 1))
            {
                int j = 0;
                foreach (JsonElement value in row.EnumerateArray())
                {
                    ok &= Number(value, Item(rowPath, j++)) is not null;
                }

                lengths[i] = j;
            }
            else
            {
                ok = false;
            }

            i++;
        }

        return ok ? lengths : null;
    }

    /// <summary>Whole-string match: .NET's '$' also matches before a final newline, JSON Schema's (ECMAScript) does not.</summary>
    public static bool FullMatch(Regex pattern, string value) => !value.EndsWith('\n') && pattern.IsMatch(value);

    private bool? FailBoolean(string path, JsonElement e)
    {
        Fail(path, $"expected true or false, got {Describe(e)}");
        return null;
    }

    private bool Is(JsonElement e, JsonValueKind kind, string path, string expected)
    {
        if (e.ValueKind == kind)
        {
            return true;
        }

        Fail(path, $"expected {expected}, got {Describe(e)}");
        return false;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string '{Truncate(e.GetString()!)}'",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    private static string Truncate(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 61), "...");

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_' || name[0] == '$'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$'))
            {
                return false;
            }
        }

        return true;
    }
}
