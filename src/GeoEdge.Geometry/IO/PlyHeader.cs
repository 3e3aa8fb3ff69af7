using System.Globalization;
using System.Text;

namespace GeoEdge.Geometry.IO;

/// <summary>A parsed PLY header: encoding, version, element declarations and where the data starts.</summary>
internal sealed class PlyHeader
{
    /// <summary>A header that has not found <c>end_header</c> by then is not a header (binary garbage, wrong file).</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly char[] Separators = [' ', '\t'];

    private readonly List<PlyElement> _elements = [];
    private string? _version;

    private PlyHeader()
    {
    }

    public PointCloudEncoding Encoding { get; private set; }

    public string Version => _version ?? string.Empty;

    public IReadOnlyList<PlyElement> Elements => _elements;

    /// <summary>Byte offset of the first data byte, just past the newline of <c>end_header</c>.</summary>
    public int DataOffset { get; private set; }

    /// <summary>Line number of <c>end_header</c>; ascii data lines are numbered after it.</summary>
    public int LineCount { get; private set; }

    /// <summary>PCL's <c>obj_info num_cols</c> / <c>num_rows</c>: the grid of an organized cloud, when given.</summary>
    public int? Columns { get; private set; }

    public int? Rows { get; private set; }

    public PlyElement? Find(string name)
    {
        foreach (PlyElement e in _elements)
        {
            if (e.Name == name)
            {
                return e;
            }
        }

        return null;
    }

    public static PlyHeader Parse(ReadOnlySpan<byte> file, string source)
    {
        if (!file.StartsWith("ply"u8) || (file.Length > 3 && file[3] is not (byte)'\n' and not (byte)'\r' and not (byte)' '))
        {
            PointCloudFormatException.ThrowAtLine(source, 1, "not a PLY file: missing 'ply' magic");
        }

        var header = new PlyHeader();
        int limit = Math.Min(file.Length, MaxBytes);
        int pos = 0;
        int line = 0;
        while (pos < limit)
        {
            int newline = file[pos..limit].IndexOf((byte)'\n');
            if (newline < 0 && (limit < file.Length || !file[pos..].TrimEnd("\r \t"u8).SequenceEqual("end_header"u8)))
            {
                // Only end_header may end the file without a newline; anything else is a header cut short.
                line++;
                break;
            }

            int end = newline < 0 ? limit : pos + newline;
            int next = newline < 0 ? limit : end + 1;
            line++;
            string text = Latin1(file[pos..end]);
            if (header.ParseLine(text, line, source))
            {
                header.DataOffset = next;
                header.LineCount = line;
                header.Validate(source);
                return header;
            }

            pos = next;
        }

        string where = limit < file.Length ? $"within the first {MaxBytes} bytes" : $"before the file ends at byte {file.Length}";
        PointCloudFormatException.ThrowAtLine(source, Math.Max(line, 1), $"no 'end_header' {where}");
        return null;
    }

    /// <summary>
    /// Refuses counts that cannot fit in what follows the header, before anything is sized from them:
    /// a wild count and a truncated file look the same here, so the error names both the element's
    /// line and the byte where the file ends.
    /// </summary>
    public void CheckFits(int fileLength, string source)
    {
        bool ascii = Encoding == PointCloudEncoding.Ascii;
        long dataBytes = fileLength - DataOffset;
        Int128 needed = 0;
        foreach (PlyElement e in _elements)
        {
            needed += e.MinDataBytes(ascii);

            // The last ascii token needs no separator after it.
            if (needed > dataBytes + (ascii ? 1 : 0))
            {
                throw new PointCloudFormatException(
                    source,
                    fileLength,
                    e.HeaderLine,
                    $"element '{e.Name}' declares {e.Count} records, more than the data can hold: the file ends at byte {fileLength}, {dataBytes} bytes after the header (truncated, or a wrong count)");
            }
        }
    }

    private static string Latin1(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        return System.Text.Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Takes one header line; true at <c>end_header</c>.</summary>
    private bool ParseLine(string text, int line, string source)
    {
        string[] t = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (line == 1)
        {
            if (t is not ["ply"])
            {
                PointCloudFormatException.ThrowAtLine(source, line, "not a PLY file: missing 'ply' magic");
            }

            return false;
        }

        if (t.Length == 0)
        {
            return false;
        }

        switch (t[0])
        {
            case "format": ParseFormat(t, line, source); return false;
            case "comment": return false;
            case "obj_info": ParseObjInfo(t); return false;
            case "element": ParseElement(t, line, source); return false;
            case "property": ParseProperty(t, line, source); return false;
            case "end_header": return true;
            default:
                PointCloudFormatException.ThrowAtLine(source, line, $"unknown header keyword '{Printable(t[0])}'");
                return false;
        }
    }

    private void ParseFormat(string[] t, int line, string source)
    {
        if (_version is not null)
        {
            PointCloudFormatException.ThrowAtLine(source, line, "second 'format' line");
        }

        if (t.Length != 3)
        {
            PointCloudFormatException.ThrowAtLine(source, line, "'format' needs an encoding and a version");
        }

        Encoding = t[1] switch
        {
            "ascii" => PointCloudEncoding.Ascii,
            "binary_little_endian" => PointCloudEncoding.BinaryLittleEndian,
            "binary_big_endian" => PointCloudEncoding.BinaryBigEndian,
            _ => ThrowUnknownFormat(t[1], line, source),
        };
        _version = t[2];
    }

    private void ParseObjInfo(string[] t)
    {
        // PCL records an organized cloud's grid here; anything else in obj_info is free text.
        if (t.Length == 3 && int.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            if (t[1] == "num_cols")
            {
                Columns = value;
            }
            else if (t[1] == "num_rows")
            {
                Rows = value;
            }
        }
    }

    private void ParseElement(string[] t, int line, string source)
    {
        if (t.Length != 3)
        {
            PointCloudFormatException.ThrowAtLine(source, line, "'element' needs a name and a count");
        }

        if (!long.TryParse(t[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long count) || count < 0)
        {
            PointCloudFormatException.ThrowAtLine(source, line, $"element '{Printable(t[1])}' has a bad count '{Printable(t[2])}'");
        }

        if (Find(t[1]) is not null)
        {
            PointCloudFormatException.ThrowAtLine(source, line, $"element '{Printable(t[1])}' is declared twice");
        }

        _elements.Add(new PlyElement(t[1], count, line));
    }

    private void ParseProperty(string[] t, int line, string source)
    {
        if (_elements.Count == 0)
        {
            PointCloudFormatException.ThrowAtLine(source, line, "'property' before any 'element'");
        }

        PlyProperty property;
        if (t.Length == 3 && t[1] != "list")
        {
            property = new PlyProperty(t[2], ParseType(t[1], line, source), null);
        }
        else if (t.Length == 5 && t[1] == "list")
        {
            ScalarType countType = ParseType(t[2], line, source);
            if (ScalarTypes.IsFloatingPoint(countType))
            {
                PointCloudFormatException.ThrowAtLine(source, line, $"list count type '{t[2]}' is not an integer type");
            }

            property = new PlyProperty(t[4], ParseType(t[3], line, source), countType);
        }
        else
        {
            PointCloudFormatException.ThrowAtLine(source, line, "'property' needs TYPE NAME or list COUNTTYPE ITEMTYPE NAME");
            return;
        }

        PlyElement element = _elements[^1];
        if (element.Contains(property.Name))
        {
            PointCloudFormatException.ThrowAtLine(source, line, $"property '{Printable(property.Name)}' is declared twice in element '{Printable(element.Name)}'");
        }

        element.Add(property);
    }

    private void Validate(string source)
    {
        if (_version is null)
        {
            PointCloudFormatException.ThrowAtLine(source, LineCount, "header has no 'format' line");
        }
    }

    private static ScalarType ParseType(string name, int line, string source)
    {
        if (!PlyTypes.TryParse(name, out ScalarType type))
        {
            PointCloudFormatException.ThrowAtLine(source, line, $"unknown property type '{Printable(name)}'");
        }

        return type;
    }

    private static PointCloudEncoding ThrowUnknownFormat(string name, int line, string source)
    {
        PointCloudFormatException.ThrowAtLine(source, line, $"unknown format '{Printable(name)}' (ascii, binary_little_endian, binary_big_endian)");
        return default;
    }

    /// <summary>Header text quoted in a message, cut short and with control characters escaped, since it may be garbage.</summary>
    private static string Printable(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, 40));
        foreach (char c in text.Length > 40 ? text[..40] : text)
        {
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.Length > 40 ? sb.Append("...").ToString() : sb.ToString();
    }
}
