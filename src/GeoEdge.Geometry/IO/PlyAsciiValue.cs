using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GeoEdge.Geometry.IO;

/// <summary>Parses one ascii PLY value from its UTF-8 bytes into a position or channel, without allocating.</summary>
internal static class PlyAsciiValue
{
    /// <summary>Parses <paramref name="token"/> as <paramref name="type"/> and stores it at <paramref name="target"/>; false when it is not such a value.</summary>
    public static bool TryStore(ReadOnlySpan<byte> token, ScalarType type, PlyVertexSink? sink, int target, int row)
    {
        Span<byte> channel = default;
        if (sink is not null && target >= PlyVertexSink.ChannelBase)
        {
            int size = ScalarTypes.SizeOf(type);
            channel = sink.Channels[target - PlyVertexSink.ChannelBase].Bytes.Slice(row * size, size);
        }

        float position;
        switch (type)
        {
            case ScalarType.Float32:
                if (!TryParseSingle(token, out float f))
                {
                    return false;
                }

                position = f;
                if (!channel.IsEmpty)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(channel, f);
                }

                break;
            case ScalarType.Float64:
                if (!TryParseDouble(token, out double d))
                {
                    return false;
                }

                position = (float)d;
                if (!channel.IsEmpty)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(channel, d);
                }

                break;
            default:
                if (!PcdNumbers.TryParseInteger(token, type, out long v))
                {
                    return false;
                }

                position = v;
                if (!channel.IsEmpty)
                {
                    WriteInteger(channel, type, v);
                }

                break;
        }

        if (sink is not null && (uint)target < PlyVertexSink.ChannelBase)
        {
            sink.Positions[(row * 3) + target] = position;
        }

        return true;
    }

    /// <summary>Up to 24 characters of a bad token, control and non-ASCII bytes shown as '?', for error messages.</summary>
    public static string Printable(ReadOnlySpan<byte> token)
    {
        var sb = new StringBuilder(Math.Min(token.Length, 24) + 3);
        foreach (byte b in token.Length > 24 ? token[..24] : token)
        {
            sb.Append(b is >= (byte)' ' and <= (byte)'~' ? (char)b : '?');
        }

        return token.Length > 24 ? sb.Append("...").ToString() : sb.ToString();
    }

    private static bool TryParseSingle(ReadOnlySpan<byte> token, out float value)
    {
        if (PlyDecimal.TryParseSingle(token, out value) || float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        bool special = TryParseSpecial(token, out double d);
        value = (float)d;
        return special;
    }

    private static bool TryParseDouble(ReadOnlySpan<byte> token, out double value) =>
        PlyDecimal.TryParseDouble(token, out value) ||
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value) ||
        TryParseSpecial(token, out value);

    /// <summary>C's printf spellings (nan, -nan, inf, -inf), which other writers put in ascii files.</summary>
    private static bool TryParseSpecial(ReadOnlySpan<byte> token, out double value)
    {
        bool negative = !token.IsEmpty && token[0] == (byte)'-';
        ReadOnlySpan<byte> rest = !token.IsEmpty && token[0] is (byte)'-' or (byte)'+' ? token[1..] : token;
        if (Ascii.EqualsIgnoreCase(rest, "nan"u8))
        {
            value = double.NaN;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        value = 0;
        return false;
    }

    private static void WriteInteger(Span<byte> dst, ScalarType type, long v)
    {
        switch (type)
        {
            case ScalarType.Int8: dst[0] = (byte)(sbyte)v; break;
            case ScalarType.UInt8: dst[0] = (byte)v; break;
            case ScalarType.Int16: BinaryPrimitives.WriteInt16LittleEndian(dst, (short)v); break;
            case ScalarType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)v); break;
            case ScalarType.Int32: BinaryPrimitives.WriteInt32LittleEndian(dst, (int)v); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(dst, (uint)v); break;
        }
    }
}
