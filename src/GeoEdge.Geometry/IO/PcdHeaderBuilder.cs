using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GeoEdge.Geometry.IO;

/// <summary>Collects PCD header keys line by line, each checked as it comes, and builds the validated <see cref="PcdHeader"/>.</summary>
/// <remarks>
/// Stricter than PCL where PCL only warns: unknown or repeated keys, counts below 1, missing WIDTH, HEIGHT
/// or POINTS and SIZE/TYPE pairs PCL maps to "unknown" are errors, because each means the data section
/// cannot be trusted to have the layout the header claims.
/// </remarks>
internal sealed class PcdHeaderBuilder(string file)
{
    private static readonly string[] Keys = ["VERSION", "FIELDS", "SIZE", "TYPE", "COUNT", "WIDTH", "HEIGHT", "VIEWPOINT", "POINTS", "DATA"];

    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private string[]? _names;
    private int[]? _sizes;
    private char[]? _types;
    private int[]? _counts;
    private long _width;
    private long _height;
    private long _points;
    private Viewpoint _viewpoint = Viewpoint.Identity;
    private string _version = "";
    private PointCloudEncoding _encoding;

    public void Apply(string[] tokens, int line)
    {
        string key = tokens[0];
        if (key == "COLUMNS")
        {
            key = "FIELDS";
        }

        if (Array.IndexOf(Keys, key) < 0)
        {
            Fail(line, $"unknown header key '{Printable(key)}'");
        }

        if (!_lines.TryAdd(key, line))
        {
            Fail(line, $"{key} appears twice (first on line {_lines[key]})");
        }

        switch (key)
        {
            case "VERSION": _version = Single(tokens, line); break;
            case "FIELDS": ParseFields(tokens, line); break;
            case "SIZE": _sizes = ParsePerField(tokens, line, "SIZE", 1, 8); break;
            case "TYPE": ParseTypes(tokens, line); break;
            case "COUNT": _counts = ParsePerField(tokens, line, "COUNT", 1, PcdHeader.MaxPointSize); break;
            case "WIDTH": _width = ParseDimension(tokens, line); break;
            case "HEIGHT": _height = ParseDimension(tokens, line); break;
            case "POINTS": _points = ParseDimension(tokens, line); break;
            case "VIEWPOINT": ParseViewpoint(tokens, line); break;
            default: ParseData(tokens, line); break;
        }
    }

    public PcdHeader Build(int lastLine, int dataOffset)
    {
        foreach (string required in (string[])["FIELDS", "SIZE", "TYPE", "WIDTH", "HEIGHT", "POINTS", "DATA"])
        {
            if (!_lines.ContainsKey(required))
            {
                Fail(lastLine, $"header has no {required} line");
            }
        }

        string[] names = _names!;
        var fields = new PointField[names.Length];
        long pointSize = 0;
        for (int i = 0; i < names.Length; i++)
        {
            int count = _counts?[i] ?? 1;
            fields[i] = new PointField(names[i], ToScalarType(i), count);
            pointSize += (long)_sizes![i] * count;
        }

        if (pointSize > PcdHeader.MaxPointSize)
        {
            Fail(_lines.GetValueOrDefault("COUNT", _lines["SIZE"]), $"a point of {pointSize} bytes is larger than the {PcdHeader.MaxPointSize} bytes supported");
        }

        CheckPositions(names);
        if (_width * _height != _points)
        {
            Fail(_lines["POINTS"], $"POINTS {_points} is not WIDTH {_width} x HEIGHT {_height}");
        }

        if (_points > Array.MaxLength / 3)
        {
            Fail(_lines["POINTS"], $"POINTS {_points} is more than the {Array.MaxLength / 3} points a cloud can hold");
        }

        // An empty cloud may say HEIGHT 0; a PointCloud always has at least one row.
        int height = _points == 0 ? 1 : (int)_height;
        int width = _points == 0 ? 0 : (int)_width;
        return new PcdHeader(fields, width, height, _viewpoint, _version, _encoding, dataOffset);
    }

    private void CheckPositions(string[] names)
    {
        foreach (string axis in (string[])["x", "y", "z"])
        {
            int index = Array.IndexOf(names, axis);
            if (index < 0)
            {
                Fail(_lines["FIELDS"], "no x, y, z fields: clouds without positions are not supported");
            }

            if (_counts is not null && _counts[index] != 1)
            {
                Fail(_lines["COUNT"], $"field '{axis}' has COUNT {_counts[index]}; positions need COUNT 1");
            }
        }
    }

    private ScalarType ToScalarType(int field)
    {
        int size = _sizes![field];
        char type = _types![field];
        ScalarType? scalar = (type, size) switch
        {
            ('F', 4) => ScalarType.Float32,
            ('F', 8) => ScalarType.Float64,
            ('U', 1) => ScalarType.UInt8,
            ('U', 2) => ScalarType.UInt16,
            ('U', 4) => ScalarType.UInt32,
            ('U', 8) => ScalarType.UInt64,
            ('I', 1) => ScalarType.Int8,
            ('I', 2) => ScalarType.Int16,
            ('I', 4) => ScalarType.Int32,
            ('I', 8) => ScalarType.Int64,
            _ => null,
        };
        if (scalar is null)
        {
            Fail(_lines["TYPE"], $"SIZE {size} does not match TYPE {type} for field '{_names![field]}'");
        }

        return scalar.Value;
    }

    private void ParseFields(string[] tokens, int line)
    {
        if (tokens.Length < 2)
        {
            Fail(line, "FIELDS names no field");
        }

        _names = tokens[1..];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in _names)
        {
            if (name != PcdHeader.PaddingName && !seen.Add(name))
            {
                Fail(line, $"field '{Printable(name)}' is declared twice");
            }
        }
    }

    private void ParseTypes(string[] tokens, int line)
    {
        string[] values = PerField(tokens, line, "TYPE");
        _types = new char[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not ("F" or "U" or "I"))
            {
                Fail(line, $"unknown TYPE '{Printable(values[i])}' (expected F, U or I)");
            }

            _types[i] = values[i][0];
        }
    }

    private int[] ParsePerField(string[] tokens, int line, string key, int min, int max)
    {
        string[] values = PerField(tokens, line, key);
        int[] result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i])
                || result[i] < min || result[i] > max)
            {
                Fail(line, $"{key} value '{Printable(values[i])}' is not valid");
            }
        }

        return result;
    }

    private string[] PerField(string[] tokens, int line, string key)
    {
        if (_names is null)
        {
            Fail(line, $"{key} comes before FIELDS");
        }

        if (key is "TYPE" or "COUNT" && _sizes is null)
        {
            Fail(line, $"{key} comes before SIZE");
        }

        if (tokens.Length - 1 != _names.Length)
        {
            Fail(line, $"{key} has {tokens.Length - 1} values for {_names.Length} fields");
        }

        return tokens[1..];
    }

    private long ParseDimension(string[] tokens, int line)
    {
        string value = Single(tokens, line);
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long result) || result > int.MaxValue)
        {
            Fail(line, $"{tokens[0]} '{Printable(value)}' is not a count between 0 and {int.MaxValue}");
        }

        return result;
    }

    private void ParseViewpoint(string[] tokens, int line)
    {
        if (tokens.Length != 8)
        {
            Fail(line, $"VIEWPOINT has {tokens.Length - 1} values; it needs 7 (tx ty tz qw qx qy qz)");
        }

        double[] v = new double[7];
        for (int i = 0; i < 7; i++)
        {
            if (!double.TryParse(tokens[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
            {
                Fail(line, $"VIEWPOINT value '{Printable(tokens[i + 1])}' is not a finite number");
            }
        }

        _viewpoint = new Viewpoint(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    private void ParseData(string[] tokens, int line)
    {
        string value = Single(tokens, line);
        _encoding = value switch
        {
            "ascii" => PointCloudEncoding.Ascii,
            "binary" => PointCloudEncoding.Binary,
            "binary_compressed" => PointCloudEncoding.BinaryCompressed,
            _ => Fail<PointCloudEncoding>(line, $"unknown DATA encoding '{Printable(value)}' (expected ascii, binary or binary_compressed)"),
        };
    }

    private string Single(string[] tokens, int line)
    {
        if (tokens.Length != 2)
        {
            Fail(line, $"{tokens[0]} needs exactly one value, got {tokens.Length - 1}");
        }

        return tokens[1];
    }

    [DoesNotReturn]
    private void Fail(int line, string detail) => PointCloudFormatException.ThrowAtLine(file, line, detail);

    private T Fail<T>(int line, string detail)
    {
        Fail(line, detail);
        return default!;
    }

    /// <summary>Header text may be garbage: keep error messages short and printable.</summary>
    private static string Printable(string text)
    {
        string shortened = text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "...") : text;
        var chars = shortened.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < ' ' or > '~')
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
