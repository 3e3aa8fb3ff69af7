namespace GeoEdge.Geometry.IO;

/// <summary>A fast path for the plain decimals ascii PLY writers print ("-12.5", "0.123457", "1e-05"), exact by Clinger's rule.</summary>
/// <remarks>
/// When the significant digits form an integer a double holds exactly (up to 2^53) and the power of
/// ten is exact too (up to 1e22), one IEEE multiply or divide rounds correctly, so the result equals
/// the BCL parser's bit for bit. Anything else (long mantissas, big exponents, nan, hex) returns
/// false and the caller falls back to the BCL parser, which is several times slower per value.
/// </remarks>
internal static class PlyDecimal
{
    /// <summary>The 29 low mantissa bits a double drops when it becomes a float; a midpoint has exactly the top one set.</summary>
    private const long MidpointMask = (1L << 29) - 1;
    private const long MidpointBits = 1L << 28;
    private const double MinNormalSingle = 1.1754943508222875e-38;

    private static readonly double[] DoublePowers =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParseSingle(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        if (!TryParseDouble(text, out double d))
        {
            return false;
        }

        // d is x correctly rounded, and rounding is monotonic, so d lies on x's side of every float
        // midpoint (midpoints are doubles) unless d is one: then (float)d is x correctly rounded.
        // Midpoints and the subnormal and overflow ranges, where that test does not hold, fall back.
        double magnitude = Math.Abs(d);
        if (magnitude != 0 && (magnitude < MinNormalSingle || magnitude > float.MaxValue ||
            (BitConverter.DoubleToInt64Bits(d) & MidpointMask) == MidpointBits))
        {
            return false;
        }

        value = (float)d;
        return true;
    }

    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (!TrySplit(text, out ulong mantissa, out int exponent, out bool negative) ||
            mantissa > (1UL << 53) || exponent < -22 || exponent > 22)
        {
            return false;
        }

        double d = exponent < 0 ? mantissa / DoublePowers[-exponent] : mantissa * DoublePowers[exponent];
        value = negative ? -d : d;
        return true;
    }

    /// <summary>[sign] digits [. digits] [e [sign] digits] as mantissa x 10^exponent; false for anything else or more than 19 significant digits.</summary>
    private static bool TrySplit(ReadOnlySpan<byte> s, out ulong mantissa, out int exponent, out bool negative)
    {
        mantissa = 0;
        exponent = 0;
        int i = 0;
        negative = s.Length > 0 && s[0] == (byte)'-';
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+')
        {
            i++;
        }

        int significant = 0;
        bool digits = false;
        bool fraction = false;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
            {
                if (s[i] != (byte)'.' || fraction)
                {
                    break;
                }

                fraction = true;
                continue;
            }

            digits = true;
            exponent -= fraction ? 1 : 0;
            if (mantissa == 0 && d == 0)
            {
                continue;
            }

            if (++significant > 19)
            {
                return false;
            }

            mantissa = (mantissa * 10) + d;
        }

        if (!digits)
        {
            return false;
        }

        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            return TryExponent(s[(i + 1)..], ref exponent);
        }

        return i == s.Length;
    }

    private static bool TryExponent(ReadOnlySpan<byte> s, ref int exponent)
    {
        int i = s.Length > 0 && s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (i == s.Length)
        {
            return false;
        }

        int e = 0;
        for (int k = i; k < s.Length; k++)
        {
            uint d = (uint)(s[k] - '0');
            if (d > 9 || e > 1000)
            {
                return false;
            }

            e = (e * 10) + (int)d;
        }

        exponent += s[0] == (byte)'-' ? -e : e;
        return true;
    }
}
