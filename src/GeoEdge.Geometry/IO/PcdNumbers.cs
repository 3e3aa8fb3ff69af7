using System.Buffers.Binary;
using System.Globalization;

namespace GeoEdge.Geometry.IO;

/// <summary>PCD's ascii spelling of numbers, both ways: the C library's nan/inf words and shortest round-trip digits.</summary>
internal static class PcdNumbers
{
    /// <summary>The NaN PCL's reader stores for "nan" (std::numeric_limits&lt;float&gt;::quiet_NaN()).</summary>
    public static readonly float QuietNaN = BitConverter.UInt32BitsToSingle(0x7fc00000);

    public static readonly float NegativeQuietNaN = BitConverter.UInt32BitsToSingle(0xffc00000);

    public static readonly double QuietNaNDouble = BitConverter.UInt64BitsToDouble(0x7ff8000000000000);

    public static readonly double NegativeQuietNaNDouble = BitConverter.UInt64BitsToDouble(0xfff8000000000000);

    public static bool TryParseFloat(ReadOnlySpan<byte> token, out float value)
    {
        if (TryParseSpecial(token, out bool negative, out bool nan))
        {
            value = nan ? (negative ? NegativeQuietNaN : QuietNaN) : (negative ? float.NegativeInfinity : float.PositiveInfinity);
            return true;
        }

        return float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseDouble(ReadOnlySpan<byte> token, out double value)
    {
        if (TryParseSpecial(token, out bool negative, out bool nan))
        {
            value = nan ? (negative ? NegativeQuietNaNDouble : QuietNaNDouble) : (negative ? double.NegativeInfinity : double.PositiveInfinity);
            return true;
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a signed integer and checks it fits <paramref name="type"/> (any integer type but UInt64); shared by the PCD and PLY ascii decoders.</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> token, ScalarType type, out long value)
    {
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return type switch
        {
            ScalarType.Int8 => value is >= sbyte.MinValue and <= sbyte.MaxValue,
            ScalarType.UInt8 => value is >= byte.MinValue and <= byte.MaxValue,
            ScalarType.Int16 => value is >= short.MinValue and <= short.MaxValue,
            ScalarType.UInt16 => value is >= ushort.MinValue and <= ushort.MaxValue,
            ScalarType.Int32 => value is >= int.MinValue and <= int.MaxValue,
            ScalarType.UInt32 => value is >= uint.MinValue and <= uint.MaxValue,
            ScalarType.Int64 => true,
            _ => false,
        };
    }

    /// <summary>Stores an integer already checked by <see cref="TryParseInteger"/> as <paramref name="type"/>.</summary>
    public static void WriteInteger(Span<byte> destination, ScalarType type, long value)
    {
        switch (type)
        {
            case ScalarType.Int8:
            case ScalarType.UInt8: destination[0] = (byte)value; break;
            case ScalarType.Int16:
            case ScalarType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value); break;
            case ScalarType.Int32:
            case ScalarType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value); break;
            case ScalarType.Int64: BinaryPrimitives.WriteInt64LittleEndian(destination, value); break;
            default: throw new InvalidOperationException($"{type} is not a signed-parse integer type");
        }
    }

    /// <summary>Writes one element of <paramref name="type"/> from little-endian <paramref name="element"/> as ascii; returns the bytes written.</summary>
    /// <remarks><paramref name="destination"/> must hold at least 32 bytes, the longest value written.</remarks>
    public static int Format(ReadOnlySpan<byte> element, ScalarType type, Span<byte> destination)
    {
        int written;
        bool ok = type switch
        {
            ScalarType.Float32 => FormatFloating(BinaryPrimitives.ReadSingleLittleEndian(element), destination, out written),
            ScalarType.Float64 => FormatFloating(BinaryPrimitives.ReadDoubleLittleEndian(element), destination, out written),
            ScalarType.Int8 => ((sbyte)element[0]).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.UInt8 => element[0].TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            ScalarType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(element).TryFormat(destination, out written, default, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"unknown scalar type {type}"),
        };
        if (!ok)
        {
            throw new InvalidOperationException("ascii value buffer too small");
        }

        return written;
    }

    /// <summary>Shortest digits that read back to the same value; "nan", "inf", "-inf" as C's printf spells them.</summary>
    private static bool FormatFloating<T>(T value, Span<byte> destination, out int written)
        where T : System.Numerics.IFloatingPointIeee754<T>, IUtf8SpanFormattable
    {
        ReadOnlySpan<byte> word = T.IsNaN(value) ? "nan"u8
            : T.IsPositiveInfinity(value) ? "inf"u8
            : T.IsNegativeInfinity(value) ? "-inf"u8
            : default;
        if (!word.IsEmpty)
        {
            written = word.Length;
            return word.TryCopyTo(destination);
        }

        return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
    }

    /// <summary>Recognises nan, inf and infinity in any case, with an optional sign.</summary>
    private static bool TryParseSpecial(ReadOnlySpan<byte> token, out bool negative, out bool nan)
    {
        negative = false;
        nan = false;
        if (token.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<byte> word = token;
        if (word[0] is (byte)'-' or (byte)'+')
        {
            negative = word[0] == (byte)'-';
            word = word[1..];
        }

        if (word.IsEmpty || (word[0] | 0x20) is not ((byte)'n' or (byte)'i'))
        {
            return false;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(word, "nan"u8))
        {
            nan = true;
            return true;
        }

        return System.Text.Ascii.EqualsIgnoreCase(word, "inf"u8) || System.Text.Ascii.EqualsIgnoreCase(word, "infinity"u8);
    }
}
