using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GeoEdge.Geometry.IO;

/// <summary>Parses DATA ascii: one point per line, every element of every field (padding included) as a token.</summary>
/// <remarks>
/// Tokens are parsed straight from the UTF-8 bytes, so nothing is allocated per value. "nan" becomes the
/// quiet NaN PCL produces (0x7fc00000), "-nan" its negative, "inf"/"infinity" with an optional sign an infinity.
/// Stricter than PCL, which skips lines with the wrong number of values: here they are errors.
/// </remarks>
internal static class PcdAsciiDecoder
{
    private const int AxisNone = -1;

    public static PointCloud Decode(PcdHeader header, ReadOnlySpan<byte> data, string file)
    {
        int n = header.Points;
        long elements = 0;
        foreach (PointField field in header.Fields)
        {
            elements += field.Count;
        }

        // Each value takes at least one character and one separator: refuse POINTS the text cannot hold before allocating for them.
        if (n > 0 && (elements * 2 * n) - 1 > data.Length)
        {
            PointCloudFormatException.ThrowAtOffset(file, header.DataOffset + data.Length, $"truncated: {data.Length} bytes of ascii data cannot hold {n} points of {elements} values");
        }

        float[] positions = new float[n * 3];
        var channels = new AttributeChannel?[header.Fields.Length];
        int[] axes = new int[header.Fields.Length];
        for (int f = 0; f < header.Fields.Length; f++)
        {
            axes[f] = f == header.X ? 0 : f == header.Y ? 1 : f == header.Z ? 2 : AxisNone;
            if (header.IsAttribute(f))
            {
                PointField field = header.Fields[f];
                channels[f] = new AttributeChannel(field.Name, field.Type, field.Count, n);
            }
        }

        var cursor = new Cursor(data, file, header.DataOffset);
        for (int point = 0; point < n; point++)
        {
            if (!cursor.NextLine())
            {
                cursor.Fail(data.Length, $"truncated: ascii data ends after {point} of {n} points");
            }

            for (int f = 0; f < header.Fields.Length; f++)
            {
                PointField field = header.Fields[f];
                for (int c = 0; c < field.Count; c++)
                {
                    ReadOnlySpan<byte> token = cursor.NextToken(point, elements);
                    if (axes[f] != AxisNone)
                    {
                        positions[(point * 3) + axes[f]] = cursor.ParseAsFloat(token, field, point);
                    }
                    else if (channels[f] is AttributeChannel channel)
                    {
                        int size = ScalarTypes.SizeOf(field.Type);
                        cursor.ParseInto(token, field, point, channel.Bytes.Slice(((point * field.Count) + c) * size, size));
                    }
                }
            }

            cursor.EndLine(point, elements);
        }

        if (cursor.NextLine())
        {
            cursor.Fail(cursor.LineStart, $"more data after the {n} points the header declares");
        }

        var attributes = new List<AttributeChannel>(channels.Length);
        foreach (AttributeChannel? channel in channels)
        {
            if (channel is not null)
            {
                attributes.Add(channel);
            }
        }

        return new PointCloud(positions, header.Width, header.Height, attributes, viewpoint: header.Viewpoint);
    }

    /// <summary>Position in the ascii data: the current line and the next token in it.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> data, string file, long dataOffset)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private int _lineEnd;

        public int LineStart { get; private set; }

        /// <summary>Moves to the next line holding anything but whitespace; false at the end of the data.</summary>
        public bool NextLine()
        {
            while (_position < _data.Length)
            {
                int newline = _data[_position..].IndexOf((byte)'\n');
                int end = newline < 0 ? _data.Length : _position + newline;
                LineStart = _position;
                _lineEnd = end;
                bool blank = _data[_position..end].Trim(" \t\r"u8).IsEmpty;
                if (!blank)
                {
                    return true;
                }

                _position = end + 1;
            }

            LineStart = _data.Length;
            return false;
        }

        public ReadOnlySpan<byte> NextToken(int point, long expected)
        {
            while (_position < _lineEnd && IsSpace(_data[_position]))
            {
                _position++;
            }

            int start = _position;
            while (_position < _lineEnd && !IsSpace(_data[_position]))
            {
                _position++;
            }

            if (start == _position)
            {
                Fail(LineStart, $"point {point} has fewer than the {expected} values the header declares");
            }

            return _data[start.._position];
        }

        public void EndLine(int point, long expected)
        {
            if (!_data[_position.._lineEnd].Trim(" \t\r"u8).IsEmpty)
            {
                Fail(LineStart, $"point {point} has more than the {expected} values the header declares");
            }

            _position = _lineEnd + 1;
        }

        public readonly float ParseAsFloat(ReadOnlySpan<byte> token, PointField field, int point)
        {
            switch (field.Type)
            {
                case ScalarType.Float32:
                    return PcdNumbers.TryParseFloat(token, out float f) ? f : FailValue<float>(token, field, point);
                case ScalarType.Float64:
                    return PcdNumbers.TryParseDouble(token, out double d) ? (float)d : FailValue<float>(token, field, point);
                case ScalarType.UInt64:
                    return ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u) ? u : FailValue<float>(token, field, point);
                default:
                    return PcdNumbers.TryParseInteger(token, field.Type, out long l) ? l : FailValue<float>(token, field, point);
            }
        }

        public readonly void ParseInto(ReadOnlySpan<byte> token, PointField field, int point, Span<byte> destination)
        {
            bool ok = true;
            switch (field.Type)
            {
                case ScalarType.Float32:
                    ok = PcdNumbers.TryParseFloat(token, out float f);
                    BinaryPrimitives.WriteSingleLittleEndian(destination, f);
                    break;
                case ScalarType.Float64:
                    ok = PcdNumbers.TryParseDouble(token, out double d);
                    BinaryPrimitives.WriteDoubleLittleEndian(destination, d);
                    break;
                case ScalarType.UInt64:
                    ok = ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u);
                    BinaryPrimitives.WriteUInt64LittleEndian(destination, u);
                    break;
                default:
                    ok = PcdNumbers.TryParseInteger(token, field.Type, out long l);
                    PcdNumbers.WriteInteger(destination, field.Type, l);
                    break;
            }

            if (!ok)
            {
                FailValue<bool>(token, field, point);
            }
        }

        [DoesNotReturn]
        public readonly void Fail(int offset, string detail) =>
            PointCloudFormatException.ThrowAtOffset(file, dataOffset + offset, detail);

        private readonly T FailValue<T>(ReadOnlySpan<byte> token, PointField field, int point)
        {
            string text = System.Text.Encoding.Latin1.GetString(token.Length > 40 ? token[..40] : token);
            Fail(_position - token.Length, $"'{text}' is not a {ScalarTypes.ShortName(field.Type)} value (field '{field.Name}', point {point})");
            return default!;
        }

        private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
    }
}
