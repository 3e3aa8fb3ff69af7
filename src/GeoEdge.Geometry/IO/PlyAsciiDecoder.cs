using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace GeoEdge.Geometry.IO;

/// <summary>Decodes the data section of an ascii PLY file, one record per line, parsing values straight from the bytes.</summary>
/// <remarks>
/// Every value is checked against its declared type, skipped elements included, so a file that reads
/// here is well formed throughout. Blank lines between records are tolerated; a record split over
/// lines or with extra values is not, so a short line is reported where it is, not records later.
/// </remarks>
internal ref struct PlyAsciiDecoder
{
    private readonly ReadOnlySpan<byte> _file;
    private readonly string _source;
    private int _pos;
    private int _line;
    private PlyElement _element;
    private long _row;

    private PlyAsciiDecoder(ReadOnlySpan<byte> file, PlyHeader header, string source)
    {
        _file = file;
        _source = source;
        _pos = header.DataOffset;
        _line = header.LineCount + 1;
        _element = header.Elements[0];
    }

    public static void Decode(ReadOnlySpan<byte> file, PlyHeader header, PlyVertexSink sink, string source)
    {
        var decoder = new PlyAsciiDecoder(file, header, source);
        foreach (PlyElement element in header.Elements)
        {
            // Records without properties hold no values, whatever the count says.
            if (element.Properties.Count > 0)
            {
                decoder.DecodeElement(element, ReferenceEquals(element, sink.Element) ? sink : null);
            }
        }
    }

    private void DecodeElement(PlyElement element, PlyVertexSink? sink)
    {
        _element = element;
        IReadOnlyList<PlyProperty> properties = element.Properties;
        for (_row = 0; _row < element.Count; _row++)
        {
            BeginRecord();
            for (int i = 0; i < properties.Count; i++)
            {
                PlyProperty p = properties[i];
                if (p.IsList)
                {
                    SkipList(p);
                }
                else
                {
                    Value(p, p.Type, sink, sink is null ? PlyVertexSink.Skip : sink.Targets[i]);
                }
            }

            EndRecord();
        }
    }

    private void SkipList(PlyProperty list)
    {
        ReadOnlySpan<byte> token = Next(list);
        ScalarType countType = list.CountType!.Value;
        if (!PcdNumbers.TryParseInteger(token, countType, out long count))
        {
            ThrowBadValue(token, countType, list);
        }

        if (count < 0)
        {
            Throw(_pos - token.Length, $"list '{list.Name}' has a negative count {count}");
        }

        // Each item must be on this line, so a wild count fails at the line's end, not after a long loop.
        for (long k = 0; k < count; k++)
        {
            Value(list, list.Type, null, PlyVertexSink.Skip);
        }
    }

    private void Value(PlyProperty property, ScalarType type, PlyVertexSink? sink, int target)
    {
        ReadOnlySpan<byte> token = Next(property);
        if (!PlyAsciiValue.TryStore(token, type, sink, target, (int)_row))
        {
            ThrowBadValue(token, type, property);
        }
    }

    /// <summary>Moves to the first value of the next record, past blank lines.</summary>
    private void BeginRecord()
    {
        while (_pos < _file.Length && IsSpace(_file[_pos]))
        {
            if (_file[_pos] == (byte)'\n')
            {
                _line++;
            }

            _pos++;
        }

        if (_pos == _file.Length)
        {
            Throw(_pos, $"file ends after {_row} of {_element.Count} records");
        }
    }

    private void EndRecord()
    {
        SkipBlanks();
        if (_pos < _file.Length)
        {
            if (_file[_pos] != (byte)'\n')
            {
                Throw(_pos, $"more values than the {_element.Properties.Count} properties declared");
            }

            _pos++;
            _line++;
        }
    }

    private ReadOnlySpan<byte> Next(PlyProperty property)
    {
        SkipBlanks();
        if (_pos == _file.Length || _file[_pos] == (byte)'\n')
        {
            Throw(_pos, $"too few values: the line ends before property '{property.Name}'");
        }

        int start = _pos;
        while (_pos < _file.Length && !IsSpace(_file[_pos]))
        {
            _pos++;
        }

        return _file[start.._pos];
    }

    private void SkipBlanks()
    {
        while (_pos < _file.Length && IsSpace(_file[_pos]) && _file[_pos] != (byte)'\n')
        {
            _pos++;
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0B or 0x0C;

    [DoesNotReturn]
    [StackTraceHidden]
    private readonly void ThrowBadValue(ReadOnlySpan<byte> token, ScalarType type, PlyProperty property) =>
        Throw(_pos - token.Length, $"'{PlyAsciiValue.Printable(token)}' is not a valid {PlyTypes.Name(type)} for property '{property.Name}'");

    /// <summary>Throws for the current line and record; <paramref name="offset"/> is the byte at fault.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    private readonly void Throw(int offset, string detail) =>
        PointCloudFormatException.ThrowAtOffset(_source, offset, $"line {_line}, element '{_element.Name}' record {_row}: {detail}");
}
